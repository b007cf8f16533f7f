/**
 * Leadership and takeover across replicas on one PostgreSQL database, each replica an app with its
 * own state store and lock connection (as two `serve` processes have), on a throwaway PostgreSQL.
 * A replica "dies" when its connections end (what a SIGKILL does to them): exactly one replica
 * leads, the other leads once the leader is gone, an operation the dead replica was running is
 * resumed by the survivor from the step it was at, and a deploy it was running is put back and
 * deployed once. Skipped, visibly, without PostgreSQL's binaries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/adapters/log/json-logger.js';
import { openPostgresReplicaLocks } from '../../src/adapters/postgres/postgres-replica-locks.js';
import { openPostgresStateStore } from '../../src/adapters/postgres/postgres-state-store.js';
import { loadConfig } from '../../src/config.js';
import { composeApp } from '../../src/main/compose.js';
import {
  createDeployQueue,
  type CiDeployFn,
  type DeployQueue,
} from '../../src/services/deploy/deploy-queue.service.js';
import { defineOperation } from '../../src/services/operations/operation-definition.js';
import { executeOperation, startOperation } from '../../src/services/operations/run-operation.js';
import { startOperationTakeover, type OperationTakeover } from '../../src/services/operations/takeover.service.js';
import type { AppContext } from '../../src/services/shared/app-context.js';
import { UNBOUNDED_WAIT } from '../../src/services/shared/project-locks.js';
import { eventually } from '../support/eventually.js';
import { postgresBinaries, startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { tempDir } from '../support/test-app.js';

const POLL_MS = 50;
const never = new Promise<never>(() => undefined);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Two steps; the second never ends on a replica told to hang (it is killed there). */
function gatedOperation(hangs: (app: AppContext) => boolean, runs: string[]) {
  return defineOperation<Record<string, never>, { by: string }>({
    kind: 'test_gated',
    steps: [
      { name: 'first', run: (ctx) => Promise.resolve(void runs.push(`first@${ctx.app.leadership.owner}`)) },
      {
        name: 'second',
        after: ['first'],
        run: async (ctx) => {
          runs.push(`second@${ctx.app.leadership.owner}`);
          if (hangs(ctx.app)) await never;
        },
      },
    ],
    finish: (ctx) => Promise.resolve({ by: ctx.app.leadership.owner }),
  });
}

describe.skipIf(!postgresBinaries)(
  `leadership and takeover across replicas${postgresBinaries ? '' : ' (skipped: PostgreSQL binaries not installed)'}`,
  () => {
    let postgres: TestPostgres;
    const cleanups: Array<() => Promise<void>> = [];
    beforeAll(async () => {
      postgres = await startTestPostgres();
    }, 60_000);
    afterAll(async () => {
      for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
      await postgres?.stop();
    });

    /** A replica on `url`; `kill` ends its connections as its death would. */
    async function replica(url: string) {
      const store = await openPostgresStateStore(url);
      const config = loadConfig({
        THREESIX_DATA_DIR: tempDir(),
        DEFAULT_DOMAIN: 'example.test',
        THREESIX_DATABASE_URL: url,
      });
      const app = await composeApp(config, createJsonLogger({ level: 'error', write: () => undefined }), { store });
      let dead = false;
      const kill = async () => {
        if (dead) return;
        dead = true;
        await app.leadership.close();
        await store.close();
      };
      cleanups.push(kill);
      return { app, kill };
    }

    it('lets exactly one replica lead, per installation, and the other lead once its connection ends', async () => {
      const url = await postgres.freshDatabase();
      const a = openPostgresReplicaLocks(url, { owner: 'host-a:1:a' });
      const b = openPostgresReplicaLocks(url, { owner: 'host-b:2:b' });
      cleanups.push(
        () => a.close(),
        () => b.close(),
      );
      expect(await a.leadership.lead()).toBe(true);
      expect(await b.leadership.lead()).toBe(false);
      // Asking again keeps the lead, without stacking locks to unlock.
      expect(await a.leadership.lead()).toBe(true);
      expect(await b.leadership.lead()).toBe(false);
      // Another installation (its own schema in the same database) has its own leader.
      const other = openPostgresReplicaLocks(await postgres.freshDatabase(), { owner: 'host-c:3:c' });
      cleanups.push(() => other.close());
      expect(await other.leadership.lead()).toBe(true);

      // Liveness: a's leases are a live replica's; a name no replica holds is a dead one's.
      await a.leadership.alive();
      expect(await b.leadership.ownerGone('host-a:1:a')).toBe(false);
      expect(await b.leadership.ownerGone('host-z:9:never')).toBe(true);
      expect(await a.leadership.ownerGone('host-a:1:a')).toBe(false);

      await a.close();
      await eventually(async () => expect(await b.leadership.lead()).toBe(true), 5000, POLL_MS);
      expect(await b.leadership.ownerGone('host-a:1:a')).toBe(true);
    });

    it('resumes an operation whose replica died, on the survivor, from the step it was at', async () => {
      const url = await postgres.freshDatabase();
      const runs: string[] = [];
      const a = await replica(url);
      const b = await replica(url);
      const operation = gatedOperation((app) => app.leadership.owner === a.app.leadership.owner, runs);
      const withKind = (app: AppContext) => ({ ...app, operationKinds: new Map([[operation.kind, operation]]) });
      const appA = withKind(a.app);
      const appB = withKind(b.app);
      expect(await appA.leadership.lead()).toBe(true);
      const takeovers: OperationTakeover[] = [
        startOperationTakeover(appA, { everyMs: POLL_MS }),
        startOperationTakeover(appB, { everyMs: POLL_MS }),
      ];
      cleanups.push(() => Promise.resolve(takeovers.forEach((t) => t.stop())));

      let id = '';
      void appA.locks
        .run('shop', 'test', UNBOUNDED_WAIT, async () => {
          const op = await startOperation(appA, operation, 'shop', {});
          id = op.id;
          return executeOperation(appA, operation, op);
        })
        .catch(() => undefined);
      await eventually(() =>
        expect(runs).toEqual([`first@${a.app.leadership.owner}`, `second@${a.app.leadership.owner}`]),
      );
      // While a lives, its operation is its own: the leader (a itself) and the follower leave it alone.
      await pause(10 * POLL_MS);
      expect((await appB.store.operations.get(id))?.status).toBe('running');

      await a.kill();
      const done = await eventually(
        async () => {
          const op = await appB.store.operations.get(id);
          expect(op?.status).toBe('succeeded');
          // Given up right after the journal says succeeded.
          expect(op?.lease).toBeNull();
          return op!;
        },
        5000,
        POLL_MS,
      );
      expect(done.result).toEqual({ by: b.app.leadership.owner });
      // The first step, journaled done by a, is not run again.
      expect(runs).toEqual([
        `first@${a.app.leadership.owner}`,
        `second@${a.app.leadership.owner}`,
        `second@${b.app.leadership.owner}`,
      ]);
      expect(await b.app.leadership.lead()).toBe(true);
    });

    it('puts back a deploy a dead replica was running, and the survivor deploys it once', async () => {
      const url = await postgres.freshDatabase();
      const a = await replica(url);
      const b = await replica(url);
      const calls: string[] = [];
      const deploy: CiDeployFn = async (app, input) => {
        const who = app === a.app ? 'a' : 'b';
        calls.push(`${who}:${input.commitSha}`);
        if (who === 'a') await never;
        return { status: 'succeeded' };
      };
      expect(await a.app.leadership.lead()).toBe(true);
      const queues: DeployQueue[] = [
        createDeployQueue(a.app, deploy, { takeoverMs: POLL_MS }),
        createDeployQueue(b.app, deploy, { takeoverMs: POLL_MS }),
      ];
      cleanups.push(async () => void (await Promise.all(queues.map((q) => q.stop(10)))));
      await Promise.all(queues.map((q) => q.resume()));

      await a.app.store.deployQueue.enqueue({
        project: 'shop',
        sha: 'abc123',
        image: 'registry.test/threesix/shop:abc123',
        actor: 'ci:shop',
        keys: ['sha:shop:abc123'],
      });
      queues[0]!.kick('shop');
      await eventually(() => expect(calls).toEqual(['a:abc123']));
      // A live replica's running deploy is not put back, neither by the leader nor by a kick elsewhere.
      queues[1]!.kick('shop');
      await pause(10 * POLL_MS);
      expect(calls).toEqual(['a:abc123']);
      expect((await b.app.store.deployQueue.list('shop')).map((r) => r.status)).toEqual(['running']);

      await a.kill();
      await eventually(
        async () => expect((await b.app.store.deployQueue.list('shop')).map((r) => r.status)).toEqual(['done']),
        5000,
        POLL_MS,
      );
      await pause(10 * POLL_MS);
      expect(calls).toEqual(['a:abc123', 'b:abc123']);
      expect((await b.app.store.deliveries.get('sha:shop:abc123'))?.status).toBe('deployed');
    });
  },
);
