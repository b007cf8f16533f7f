/**
 * The per-project lock across replicas on one PostgreSQL database: two lock sets, each with its
 * own advisory-lock connection (as two `serve` replicas have), on a throwaway PostgreSQL. A project
 * one replica holds is busy for the other, within the caller's wait budget; other projects are not;
 * re-entry inside the holder does not deadlock; a replica whose connection dies frees its projects.
 * Skipped, visibly, without PostgreSQL's binaries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openPostgresReplicaLocks,
  type ClosableReplicaLocks,
} from '../../src/adapters/postgres/postgres-replica-locks.js';
import { createProjectLocks } from '../../src/services/shared/project-locks.js';
import { postgresBinaries, startTestPostgres, type TestPostgres } from '../support/postgres.js';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe.skipIf(!postgresBinaries)(
  `project locks across replicas${postgresBinaries ? '' : ' (skipped: PostgreSQL binaries not installed)'}`,
  () => {
    let postgres: TestPostgres;
    const opened: ClosableReplicaLocks[] = [];
    const replica = (url: string) => {
      const replicas = openPostgresReplicaLocks(url, { pollMs: 20 });
      opened.push(replicas);
      return { locks: createProjectLocks(replicas), replicas };
    };
    beforeAll(async () => {
      postgres = await startTestPostgres();
    }, 60_000);
    afterAll(async () => {
      await Promise.all(opened.map((o) => o.close().catch(() => undefined)));
      await postgres?.stop();
    });

    it('holds a project for one replica at a time, within the wait budget, and lets other projects run', async () => {
      const url = await postgres.freshDatabase();
      const a = replica(url);
      const b = replica(url);
      const order: string[] = [];
      const release = gate();
      const entered = gate();
      const first = a.locks.run('shop', 'deploy', 0, async () => {
        order.push('a:start');
        // Re-entry inside the holder: no second acquisition, no deadlock.
        await a.locks.run('shop', 'undeploy', 0, () => Promise.resolve(order.push('a:nested')));
        entered.open();
        await release.promise;
        order.push('a:end');
      });
      await entered.promise;
      await expect(b.locks.run('shop', 'scale', 100, () => Promise.resolve('never'))).rejects.toMatchObject({
        code: 'CONFLICT',
        retryable: true,
      });
      expect(await b.locks.run('blog', 'deploy', 0, () => Promise.resolve('other project'))).toBe('other project');
      const queued = b.locks.run('shop', 'restart', 5000, () => Promise.resolve(order.push('b:run')));
      await new Promise((resolve) => setTimeout(resolve, 100));
      release.open();
      await first;
      await queued;
      expect(order).toEqual(['a:start', 'a:nested', 'a:end', 'b:run']);
    });

    it('frees what a replica held when its connection ends (the replica died)', async () => {
      const url = await postgres.freshDatabase();
      const a = replica(url);
      const b = replica(url);
      const held = gate();
      const entered = gate();
      void a.locks.run('shop', 'deploy', 0, () => (entered.open(), held.promise)).catch(() => undefined);
      await entered.promise;
      expect(await b.replicas.acquire('shop', 0)).toBeUndefined();
      await a.replicas.close();
      const release = await b.replicas.acquire('shop', 2000);
      expect(release).toBeTypeOf('function');
      await release!();
      held.open();
    });
  },
);
