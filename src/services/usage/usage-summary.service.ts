/**
 * @module services/usage/usage-summary
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * A project's usage history as get_project and `threesix://projects/{name}/usage` show it: the
 * last hour and the last day (average and peak CPU and memory, restarts), from the minute rows
 * the usage sampler keeps; the resource adds the rows themselves (a day per minute, 30 days per
 * hour). Read from the store only, so it never waits on the cluster. Only rows from the project
 * row's creation on count: a project deleted and created again under the same name starts with no
 * history, although the old rows stay until they are pruned.
 */
import { validateProjectName } from '../../domain/project-name.js';
import type { UsageBucket } from '../../ports/usage-store.port.js';
import type { AppContext } from '../shared/app-context.js';
import { HOUR_RETENTION_MS, MINUTE_RETENTION_MS } from './usage-sampler.service.js';

export interface UsageWindow {
  samples: number;
  cpuMillicores: { avg: number; peak: number };
  memoryBytes: { avg: number; peak: number };
  /** Container restarts at the window's latest sample, and how many were added within it. */
  restarts: { latest: number; added: number };
}

export interface UsageSummary {
  /** How often the sampler reads (THREESIX_USAGE_SAMPLE_S). */
  sampleSeconds: number;
  /** When the latest sample's minute began; null before the first sample. */
  latestMinute: string | null;
  lastHour: UsageWindow | null;
  lastDay: UsageWindow | null;
}

export interface UsageRow {
  start: string;
  samples: number;
  cpuMillicores: { avg: number; peak: number };
  memoryBytes: { avg: number; peak: number };
  restarts: number;
}

export interface UsageHistory extends UsageSummary {
  project: string;
  minutes: UsageRow[];
  hours: UsageRow[];
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Folds buckets into one window: averages weighted by samples, peaks of peaks. */
export function summarize(buckets: UsageBucket[]): UsageWindow | null {
  if (buckets.length === 0) return null;
  const samples = buckets.reduce((sum, b) => sum + b.samples, 0);
  const weighted = (pick: (b: UsageBucket) => number) =>
    buckets.reduce((sum, b) => sum + pick(b) * b.samples, 0) / samples;
  const latest = buckets.at(-1)!.restarts;
  // A replaced pod starts counting again: only increases between neighbours are restarts.
  const added = buckets.slice(1).reduce((sum, b, i) => sum + Math.max(0, b.restarts - buckets[i]!.restarts), 0);
  return {
    samples,
    cpuMillicores: { avg: round(weighted((b) => b.cpuAvg)), peak: round(Math.max(...buckets.map((b) => b.cpuPeak))) },
    memoryBytes: { avg: Math.round(weighted((b) => b.memoryAvg)), peak: Math.max(...buckets.map((b) => b.memoryPeak)) },
    restarts: { latest, added },
  };
}

/**
 * The first minute and hour that belong to the project alone: its creation minute counts (two
 * projects of one name within a minute are rare; a sample is lost otherwise), its creation hour
 * does not, as it may hold samples of a project deleted earlier in that hour.
 */
const firstMinute = (createdAt: string) => Math.floor(Date.parse(createdAt) / 60_000) * 60_000;
const firstHour = (createdAt: string) => Math.ceil(Date.parse(createdAt) / 3_600_000) * 3_600_000;

export async function usageSummary(
  app: AppContext,
  project: { name: string; createdAt: string },
  now = Date.now(),
): Promise<UsageSummary> {
  const day = await app.store.usage.series(
    project.name,
    'minute',
    Math.max(now - MINUTE_RETENTION_MS, firstMinute(project.createdAt)),
  );
  return summaryOf(app, day, now);
}

export async function usageHistory(app: AppContext, name: string, now = Date.now()): Promise<UsageHistory> {
  const project = validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  const { createdAt } = await app.store.projects.require(project);
  const [minutes, hours] = await Promise.all([
    app.store.usage.series(project, 'minute', Math.max(now - MINUTE_RETENTION_MS, firstMinute(createdAt))),
    app.store.usage.series(project, 'hour', Math.max(now - HOUR_RETENTION_MS, firstHour(createdAt))),
  ]);
  return { project, ...summaryOf(app, minutes, now), minutes: minutes.map(toRow), hours: hours.map(toRow) };
}

function summaryOf(app: AppContext, day: UsageBucket[], now: number): UsageSummary {
  const hourAgo = now - 3600_000;
  return {
    sampleSeconds: app.config.THREESIX_USAGE_SAMPLE_S,
    latestMinute: day.length ? new Date(day.at(-1)!.start).toISOString() : null,
    lastHour: summarize(day.filter((b) => b.start >= hourAgo)),
    lastDay: summarize(day),
  };
}

function toRow(b: UsageBucket): UsageRow {
  return {
    start: new Date(b.start).toISOString(),
    samples: b.samples,
    cpuMillicores: { avg: round(b.cpuAvg), peak: round(b.cpuPeak) },
    memoryBytes: { avg: Math.round(b.memoryAvg), peak: b.memoryPeak },
    restarts: b.restarts,
  };
}
