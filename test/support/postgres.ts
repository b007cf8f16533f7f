/**
 * A throwaway PostgreSQL for tests of the PostgreSQL state store: one server per test file,
 * started on a free loopback port by the sandbox's own starter (src/sandbox/kubernetes/
 * sandbox-postgres.ts: initdb into a temp directory, run as an unprivileged user when we are
 * root), and stopped after the file's tests. `freshDatabase()` gives each test its own schema, so
 * tests never see each other's rows and need no new server. Undefined when the binaries are
 * absent (Debian's `postgresql`, which .ci/run installs): callers skip, visibly.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgres, startPostgres, type PostgresInstance } from '../../src/sandbox/kubernetes/sandbox-postgres.js';

export const postgresBinaries = findPostgres();

export interface TestPostgres {
  /** The database's URL (the app role's own database). */
  url: string;
  /** A URL whose connections work in a new, empty schema of their own. */
  freshDatabase(): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestPostgres(): Promise<TestPostgres> {
  if (!postgresBinaries) throw new Error('PostgreSQL binaries are not installed (Debian package postgresql)');
  const dataRoot = mkdtempSync(join(tmpdir(), 'threesix-test-pg-'));
  let instance: PostgresInstance;
  try {
    instance = await startPostgres(postgresBinaries, dataRoot, 'store');
  } catch (error) {
    rmSync(dataRoot, { recursive: true, force: true });
    throw error;
  }
  const url = `postgres://${instance.user}:${instance.password}@127.0.0.1:${instance.port}/${instance.database}`;
  return {
    url,
    async freshDatabase() {
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`create schema ${schema}`);
      await client.end();
      // libpq's `options`: every connection of the pool starts with this schema first on its search path.
      return `${url}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
    },
    async stop() {
      await instance.stop();
      rmSync(dataRoot, { recursive: true, force: true });
    },
  };
}
