/**
 * @module services/usage/usage-sampler
 * The background usage sampler: every THREESIX_USAGE_SAMPLE_S (default 60 s) it reads what each
 * project's pods use from the cluster's metrics API (one pod list and one metrics list for the
 * namespace), records it in the usage history (folded per minute and per hour), updates the
 * per-project gauges of /metrics, and prunes rows older than a day (minutes) and 30 days (hours).
 *
 * One sampler across processes: each tick first claims its sampling slot in the store (the slot's
 * start is a primary key, the first insert wins), so several processes on one database (stdio
 * sessions next to `serve`, or replicas on a shared store) sample each slot once, without a lease
 * that must expire when a holder dies: the next slot is anyone's.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { UsagePoint } from '../../ports/usage-store.port.js';
import type { AppContext } from '../shared/app-context.js';

export const MINUTE_RETENTION_MS = 24 * 3600_000;
export const HOUR_RETENTION_MS = 30 * 24 * 3600_000;

export type SampleOutcome = 'sampled' | 'taken' | 'not_configured';

export interface UsageSampler {
  /** One tick now: claim the slot of `now`, sample, record, prune. */
  sampleOnce(now?: number): Promise<SampleOutcome>;
  stop(): void;
}

const running = new WeakMap<AppContext, UsageSampler>();

/** Starts the app's sampler (or returns the one already running); its first tick is at once. */
export function startUsageSampler(app: AppContext, options: { intervalMs?: number } = {}): UsageSampler {
  const existing = running.get(app);
  if (existing) return existing;
  const sampler = createUsageSampler(app, options);
  const intervalMs = options.intervalMs ?? app.config.THREESIX_USAGE_SAMPLE_S * 1000;
  let lastError = '';
  const tick = () =>
    void sampler.sampleOnce().then(
      () => void (lastError = ''),
      (error: unknown) => {
        // Once per distinct failure (a cluster without metrics-server would otherwise log every minute).
        const text = String((error as Error)?.message ?? error);
        if (text !== lastError) app.logger.warn('usage sampler: sampling failed', { err: error });
        lastError = text;
      },
    );
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  tick();
  const stop = sampler.stop.bind(sampler);
  sampler.stop = () => {
    clearInterval(timer);
    if (running.get(app) === sampler) running.delete(app);
    stop();
  };
  running.set(app, sampler);
  return sampler;
}

export function stopUsageSampler(app: AppContext): void {
  running.get(app)?.stop();
}

export function createUsageSampler(app: AppContext, options: { intervalMs?: number } = {}): UsageSampler {
  const intervalMs = options.intervalMs ?? app.config.THREESIX_USAGE_SAMPLE_S * 1000;
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  return {
    async sampleOnce(now = Date.now()) {
      if (app.backends.deployer.info.mode === 'none') return 'not_configured';
      if (!(await app.store.usage.claimSlot(Math.floor(now / intervalMs) * intervalMs, owner))) return 'taken';
      const deployer = await app.backends.deployer.get();
      const [readings, projects] = await Promise.all([deployer.usage(), app.store.projects.all()]);
      // Only this threesix's projects: others may share the namespace.
      const ours = new Set(projects.map((p) => p.name));
      const points: UsagePoint[] = readings
        .filter((r) => ours.has(r.project))
        .map((r) => ({
          project: r.project,
          cpuMillicores: r.cpuMillicores,
          memoryBytes: r.memoryBytes,
          restarts: r.restarts,
        }));
      await app.store.usage.record(now, points);
      app.metrics.projectUsage(points);
      await app.store.usage.prune({ minutesBefore: now - MINUTE_RETENTION_MS, hoursBefore: now - HOUR_RETENTION_MS });
      return 'sampled';
    },
    stop: () => undefined,
  };
}
