/**
 * Usage history: the SQLite store folds readings per minute and per hour (average, peak, latest
 * restarts), one process takes each sampling slot, pruning keeps a day of minutes and 30 days of
 * hours, and the sampler records this threesix's projects only and feeds the /metrics gauges.
 */
import { describe, expect, it } from 'vitest';
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import { openSqliteStateStore } from '../../src/adapters/sqlite/sqlite-state-store.js';
import {
  createUsageSampler,
  HOUR_RETENTION_MS,
  MINUTE_RETENTION_MS,
} from '../../src/services/usage/usage-sampler.service.js';
import { summarize, usageHistory, usageSummary } from '../../src/services/usage/usage-summary.service.js';
import { getProject } from '../../src/services/projects/get-project.service.js';
import { seedProject } from '../support/seed-project.js';
import { createTestApp, tempDir } from '../support/test-app.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-12-01T10:00:00Z');
const point = (project: string, cpu: number, memoryMiB: number, restarts = 0) => ({
  project,
  cpuMillicores: cpu,
  memoryBytes: memoryMiB * 1024 ** 2,
  restarts,
});

describe('SQLite usage store', () => {
  it('folds readings into their minute and hour: weighted average, peak, latest restarts', async () => {
    const store = await openSqliteStateStore(':memory:');
    await store.usage.record(T0 + 5_000, [point('web', 10, 100)]);
    await store.usage.record(T0 + 35_000, [point('web', 30, 300, 1)]);
    await store.usage.record(T0 + MIN + 5_000, [point('web', 20, 200, 1), point('api', 5, 50)]);
    expect(await store.usage.series('web', 'minute', 0)).toEqual([
      {
        start: T0,
        samples: 2,
        cpuAvg: 20,
        cpuPeak: 30,
        memoryAvg: 200 * 1024 ** 2,
        memoryPeak: 300 * 1024 ** 2,
        restarts: 1,
      },
      {
        start: T0 + MIN,
        samples: 1,
        cpuAvg: 20,
        cpuPeak: 20,
        memoryAvg: 200 * 1024 ** 2,
        memoryPeak: 200 * 1024 ** 2,
        restarts: 1,
      },
    ]);
    expect(await store.usage.series('web', 'hour', 0)).toEqual([
      {
        start: T0,
        samples: 3,
        cpuAvg: 20,
        cpuPeak: 30,
        memoryAvg: 200 * 1024 ** 2,
        memoryPeak: 300 * 1024 ** 2,
        restarts: 1,
      },
    ]);
    expect((await store.usage.series('api', 'minute', 0)).map((b) => b.cpuAvg)).toEqual([5]);
    expect(await store.usage.series('web', 'minute', T0 + MIN)).toHaveLength(1);
    await store.close();
  });

  it('gives each sampling slot to one process only, also across connections to one file', async () => {
    const file = `${tempDir()}/usage.db`;
    const [a, b] = [await openSqliteStateStore(file), await openSqliteStateStore(file)];
    const claims = await Promise.all([
      a.usage.claimSlot(T0, 'a'),
      b.usage.claimSlot(T0, 'b'),
      a.usage.claimSlot(T0, 'a'),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await b.usage.claimSlot(T0 + MIN, 'b')).toBe(true);
    await a.close();
    await b.close();
  });

  it('prunes minute rows after a day and hour rows after 30 days, and nothing younger', async () => {
    const store = await openSqliteStateStore(':memory:');
    const now = T0 + 40 * 24 * HOUR;
    const times = [now - 35 * 24 * HOUR, now - 29 * 24 * HOUR, now - 25 * HOUR, now - 23 * HOUR, now - 5 * MIN];
    for (const at of times) {
      await store.usage.record(at, [point('web', 1, 1)]);
      await store.usage.claimSlot(at, 'me');
    }
    const pruned = await store.usage.prune({
      minutesBefore: now - MINUTE_RETENTION_MS,
      hoursBefore: now - HOUR_RETENTION_MS,
    });
    expect(pruned).toEqual({ minutes: 3, hours: 1 });
    expect((await store.usage.series('web', 'minute', 0)).map((b) => b.start)).toEqual(
      [now - 23 * HOUR, now - 5 * MIN].map((t) => Math.floor(t / MIN) * MIN),
    );
    expect((await store.usage.series('web', 'hour', 0)).map((b) => b.start)).toEqual(
      [now - 29 * 24 * HOUR, now - 25 * HOUR, now - 23 * HOUR, now - 5 * MIN].map((t) => Math.floor(t / HOUR) * HOUR),
    );
    // Old slots go too, and the young one is still taken.
    expect(await store.usage.claimSlot(now - 35 * 24 * HOUR, 'other')).toBe(true);
    expect(await store.usage.claimSlot(now - 5 * MIN, 'other')).toBe(false);
    expect(
      await store.usage.prune({ minutesBefore: now - MINUTE_RETENTION_MS, hoursBefore: now - HOUR_RETENTION_MS }),
    ).toEqual({ minutes: 0, hours: 0 });
    await store.close();
  });
});

describe('usage summary', () => {
  it('weights averages by samples, takes peaks of peaks and counts only restart increases', () => {
    const bucket = (start: number, samples: number, cpuAvg: number, cpuPeak: number, restarts: number) => ({
      start,
      samples,
      cpuAvg,
      cpuPeak,
      memoryAvg: cpuAvg,
      memoryPeak: cpuPeak,
      restarts,
    });
    expect(summarize([])).toBeNull();
    // Restarts 2 → 3 → 0 (the pod was replaced) → 1: two restarts count (2→3, 0→1); the drop is not one.
    expect(
      summarize([
        bucket(0, 1, 10, 10, 2),
        bucket(MIN, 3, 30, 50, 3),
        bucket(2 * MIN, 1, 10, 12, 0),
        bucket(3 * MIN, 1, 10, 10, 1),
      ]),
    ).toEqual({
      samples: 6,
      cpuMillicores: { avg: 20, peak: 50 },
      memoryBytes: { avg: 20, peak: 50 },
      restarts: { latest: 1, added: 2 },
    });
  });
});

describe('usage sampler', () => {
  async function setup() {
    const deployer = new MemoryDeployer();
    const app = await createTestApp({
      env: { THREESIX_USAGE_SAMPLE_S: '60' },
      factories: { deployer: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(deployer) }) },
    });
    await seedProject(app, 'web');
    for (const project of ['web', 'theirs']) {
      await deployer.apply({
        project,
        image: 'r.test/x@sha256:' + 'a'.repeat(64),
        port: 80,
        replicas: 1,
        env: {},
        secrets: {},
        hosts: [],
      });
    }
    return { app, deployer };
  }

  it("records this threesix's projects once per slot, shows them in get_project and the history, and feeds the gauges", async () => {
    const { app, deployer } = await setup();
    const now = Date.now() + 3 * MIN;
    const sampler = createUsageSampler(app);
    deployer.setUsage('web', { cpuMillicores: 12, memoryBytes: 64 * 1024 ** 2, restarts: 0 });
    deployer.setUsage('theirs', { cpuMillicores: 99, memoryBytes: 1, restarts: 0 });
    expect(await sampler.sampleOnce(now - 2 * MIN)).toBe('sampled');
    expect(await createUsageSampler(app).sampleOnce(now - 2 * MIN)).toBe('taken');
    deployer.setUsage('web', { cpuMillicores: 36, memoryBytes: 128 * 1024 ** 2, restarts: 1 });
    expect(await sampler.sampleOnce(now - MIN)).toBe('sampled');

    const summary = await usageSummary(app, await app.store.projects.require('web'), now);
    expect(summary.lastHour).toEqual({
      samples: 2,
      cpuMillicores: { avg: 24, peak: 36 },
      memoryBytes: { avg: 96 * 1024 ** 2, peak: 128 * 1024 ** 2 },
      restarts: { latest: 1, added: 1 },
    });
    expect(summary.lastDay).toEqual(summary.lastHour);
    expect((await getProject(app, 'web')).usage.lastHour?.cpuMillicores.peak).toBe(36);
    const history = await usageHistory(app, 'web', now);
    expect(history.minutes).toHaveLength(2);
    expect(history.hours.reduce((n, h) => n + h.samples, 0)).toBeLessThanOrEqual(2);
    // Not ours: never recorded.
    expect(await app.store.usage.series('theirs', 'minute', 0)).toEqual([]);
    await expect(usageHistory(app, 'theirs')).rejects.toMatchObject({ code: 'NOT_FOUND' });

    const text = app.metrics.render();
    expect(text).toContain('threesix_project_cpu_usage_cores{project="web"} 0.036');
    expect(text).toContain(`threesix_project_memory_working_set_bytes{project="web"} ${128 * 1024 ** 2}`);
    expect(text).toContain('threesix_project_container_restarts{project="web"} 1');
    expect(text).not.toContain('project="theirs"');
  });

  it('shows only what was sampled since the project row was made (a project created again starts afresh)', async () => {
    const { app } = await setup();
    const created = Date.parse((await app.store.projects.require('web')).createdAt);
    await app.store.usage.record(created - 2 * HOUR, [point('web', 500, 500)]);
    await app.store.usage.record(created - 2 * MIN, [point('web', 400, 400)]);
    await app.store.usage.record(created + MIN, [point('web', 7, 70)]);
    const history = await usageHistory(app, 'web', created + 2 * MIN);
    expect(history.minutes.map((m) => m.cpuMillicores.peak)).toEqual([7]);
    // The creation hour's row may mix in the old project's samples: it is left out.
    expect(history.hours.every((h) => h.cpuMillicores.peak === 7)).toBe(true);
    expect(history.lastDay?.cpuMillicores.peak).toBe(7);
  });

  it('prunes as it samples', async () => {
    const { app } = await setup();
    const now = Date.now();
    await app.store.usage.record(now - 2 * 24 * HOUR, [point('web', 1, 1)]);
    await app.store.usage.record(now - 31 * 24 * HOUR, [point('web', 1, 1)]);
    await createUsageSampler(app).sampleOnce(now);
    expect((await app.store.usage.series('web', 'minute', 0)).map((b) => b.start)).toEqual([
      Math.floor(now / MIN) * MIN,
    ]);
    expect(await app.store.usage.series('web', 'hour', 0)).toHaveLength(2);
  });

  it('does nothing without a cluster', async () => {
    const app = await createTestApp();
    expect(await createUsageSampler(app).sampleOnce()).toBe('not_configured');
  });
});
