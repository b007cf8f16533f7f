/**
 * App events between replicas on PostgreSQL LISTEN/NOTIFY (adapters/postgres/postgres-replica-events.ts),
 * on a throwaway PostgreSQL: what one replica publishes the others hear, once, and it does not hear
 * itself; an installation in another schema of the same database hears nothing; a replica whose
 * listening connection is cut opens it again and hears what comes after. And createAppEvents over it:
 * a local emit reaches local listeners once and the other replica once. Skipped, visibly, without
 * PostgreSQL's binaries.
 */
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/adapters/log/json-logger.js';
import { openPostgresReplicaEvents } from '../../src/adapters/postgres/postgres-replica-events.js';
import type { ReplicaEvent, ReplicaEvents } from '../../src/ports/replica-events.port.js';
import { createAppEvents } from '../../src/services/shared/app-events.js';
import { eventually } from '../support/eventually.js';
import { postgresBinaries, startTestPostgres, type TestPostgres } from '../support/postgres.js';

const logger = createJsonLogger({ level: 'error', write: () => undefined });
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe.skipIf(!postgresBinaries)(
  `replica events on PostgreSQL LISTEN/NOTIFY${postgresBinaries ? '' : ' (skipped: PostgreSQL binaries not installed; apt-get install postgresql)'}`,
  () => {
    let postgres: TestPostgres;
    const opened: ReplicaEvents[] = [];
    const open = (url: string) => {
      const events = openPostgresReplicaEvents(url, logger, { reconnectMs: 50 });
      opened.push(events);
      return events;
    };
    const hear = (events: ReplicaEvents) => {
      const heard: ReplicaEvent[] = [];
      events.subscribe((event) => void heard.push(event));
      return heard;
    };

    beforeAll(async () => {
      postgres = await startTestPostgres();
    }, 60_000);
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((e) => e.close()));
    });
    afterAll(() => postgres?.stop());

    it('carries each event to the other replicas once, never back to its sender nor to another schema', async () => {
      const url = await postgres.freshDatabase();
      const [a, b, c] = [open(url), open(url), open(url)];
      const elsewhere = open(await postgres.freshDatabase());
      const [heardA, heardB, heardC, heardElsewhere] = [hear(a), hear(b), hear(c), hear(elsewhere)];
      // Every listener is connected once its own publish goes round to the others.
      await eventually(async () => {
        a.publish({ kind: 'list' });
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(heardB.length * heardC.length).toBeGreaterThan(0);
      });
      await settle();
      heardB.length = heardC.length = 0;
      a.publish({ kind: 'project', name: 'shop' });
      b.publish({ kind: 'session-closed', session: 's1' });
      await eventually(() => {
        expect(heardB).toEqual([{ kind: 'project', name: 'shop' }]);
        expect(heardC).toEqual([
          { kind: 'project', name: 'shop' },
          { kind: 'session-closed', session: 's1' },
        ]);
      });
      await settle();
      expect(heardA).toEqual([{ kind: 'session-closed', session: 's1' }]);
      expect(heardB).toEqual([{ kind: 'project', name: 'shop' }]);
      expect(heardElsewhere).toEqual([]);
    });

    it('opens the listening connection again when it is cut, and hears what is published after', async () => {
      const url = await postgres.freshDatabase();
      const sender = open(url);
      const listener = open(`${url}&application_name=threesix-cut-me`);
      const heard = hear(listener);
      await eventually(async () => {
        sender.publish({ kind: 'list' });
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(heard.length).toBeGreaterThan(0);
      });
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ cut: boolean }>(
          "select pg_terminate_backend(pid) as cut from pg_stat_activity where application_name = 'threesix-cut-me'",
        );
        expect(rows).toEqual([{ cut: true }]);
      } finally {
        await admin.end();
      }
      await eventually(async () => {
        heard.length = 0;
        sender.publish({ kind: 'project', name: 'after' });
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(heard).toContainEqual({ kind: 'project', name: 'after' });
      }, 10_000);
    });

    it('app events: a local emit reaches local listeners once and the other replica once', async () => {
      const url = await postgres.freshDatabase();
      const here = createAppEvents(open(url));
      const there = createAppEvents(open(url));
      const heardHere: string[] = [];
      const heardThere: string[] = [];
      here.onProjectChanged((name) => void heardHere.push(name));
      there.onProjectChanged((name) => void heardThere.push(name));
      await eventually(async () => {
        here.projectChanged('warm-up');
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(heardThere).toContain('warm-up');
      });
      await settle();
      heardHere.length = heardThere.length = 0;
      here.projectChanged('shop');
      await eventually(() => expect(heardThere).toEqual(['shop']));
      await settle();
      expect(heardHere).toEqual(['shop']);
      expect(heardThere).toEqual(['shop']);
      await Promise.all([here.close(), there.close()]);
    });
  },
);
