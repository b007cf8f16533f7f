/**
 * Scheduled reconcile: report only, on the leader only, due an interval after the newest
 * `reconcile.scheduled` audit event (whichever replica wrote it) or after the start; the drift it
 * found is in that event and in /metrics.
 */
import { describe, expect, it } from 'vitest';
import { createProject } from '../../src/services/projects/create-project.service.js';
import {
  createScheduledReconcile,
  SCHEDULED_ACTION,
} from '../../src/services/reconcile/scheduled-reconcile.service.js';
import { createLifecycleApp } from '../support/lifecycle-app.js';

const HOUR = 3600_000;

describe('scheduled reconcile', () => {
  it('runs when due on the leader, records the drift it finds without repairing it, and waits an interval', async () => {
    const lc = await createLifecycleApp({ THREESIX_RECONCILE_EVERY_S: '3600' });
    await createProject(lc.app, { name: 'shop' });
    const [record] = await lc.dns.listRecords({ name: 'shop.example.test' });
    await lc.dns.applyChanges({ create: [], update: [], delete: [record!] }, 'threesix');
    const schedule = createScheduledReconcile(lc.app);
    const start = Date.now();

    expect(await schedule.tick(start + 1000)).toBe(false);
    // A follower never runs it, due or not.
    const follower = createScheduledReconcile({
      ...lc.app,
      leadership: { ...lc.app.leadership, lead: () => Promise.resolve(false) },
    });
    expect(await follower.tick(start + 2 * HOUR)).toBe(false);
    expect(await lc.app.store.audit.list({ action: SCHEDULED_ACTION })).toEqual([]);

    expect(await schedule.tick(start + HOUR + 1000)).toBe(true);
    const [event] = await lc.app.store.audit.list({ action: SCHEDULED_ACTION });
    expect(event).toMatchObject({
      actor: 'threesix:schedule',
      result: 'ok',
      detail: {
        checked: 1,
        drift: 1,
        items: [expect.objectContaining({ project: 'shop', backend: 'dns', kind: 'missing' })],
      },
    });
    // Report only: the record stays missing.
    expect(await lc.dns.listRecords({ name: 'shop.example.test' })).toEqual([]);
    const metrics = lc.app.metrics.render();
    expect(metrics).toContain('threesix_reconcile_drift{backend="dns",kind="missing"} 1');
    expect(metrics).toContain('threesix_reconcile_runs_total{outcome="drift"} 1');

    // The next is due an interval after that event, for this schedule and for a new one (another replica, a restart).
    expect(await schedule.tick(Date.now() + HOUR / 2)).toBe(false);
    expect(await createScheduledReconcile(lc.app).tick(Date.now() + HOUR / 2)).toBe(false);
    expect(await createScheduledReconcile(lc.app).tick(Date.now() + HOUR + 1000)).toBe(true);
  });

  it('is off at 0', async () => {
    const lc = await createLifecycleApp({ THREESIX_RECONCILE_EVERY_S: '0' });
    expect(await createScheduledReconcile(lc.app).tick(Date.now() + 365 * 24 * HOUR)).toBe(false);
  });
});
