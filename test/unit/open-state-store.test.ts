/**
 * The store the configuration asks for: PostgreSQL with THREESIX_DATABASE_URL (serve, stdio and
 * the token CLI alike), else the SQLite file; and doctor's description of it never holds the password.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresStateStore } from '../../src/adapters/postgres/postgres-state-store.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { describeStateStore, openStateStore } from '../../src/main/open-state-store.js';
import { postgresBinaries, startTestPostgres, type TestPostgres } from '../support/postgres.js';
import { tempDir } from '../support/test-app.js';

describe('choosing the state store', () => {
  it('takes only postgres:// or postgresql:// URLs, and names the variable, never its value', () => {
    expect(() => loadConfig({ THREESIX_DATABASE_URL: 'mysql://u:hunter22@db/x' })).toThrow(ConfigError);
    try {
      loadConfig({ THREESIX_DATABASE_URL: 'mysql://u:hunter22@db/x' });
    } catch (error) {
      expect((error as Error).message).toBe('invalid configuration: THREESIX_DATABASE_URL');
    }
    expect(loadConfig({ THREESIX_DATABASE_URL: 'postgresql://u:p@db/x' }).THREESIX_DATABASE_URL).toBe(
      'postgresql://u:p@db/x',
    );
  });

  it('describes where the state is without the password', () => {
    expect(
      describeStateStore(loadConfig({ THREESIX_DATABASE_URL: 'postgres://threesix:hunter22@db.internal:5433/state' })),
    ).toEqual({ kind: 'postgresql', where: 'db.internal:5433/state' });
    const dir = tempDir();
    expect(describeStateStore(loadConfig({ THREESIX_DATA_DIR: dir }))).toEqual({
      kind: 'sqlite',
      where: `${dir}/threesix.db`,
    });
  });

  it('fails to connect with a message that holds neither the URL nor the password', async () => {
    const config = loadConfig({ THREESIX_DATABASE_URL: 'postgres://threesix:hunter22@127.0.0.1:1/state' });
    const failure = await openStateStore(config).then(
      () => undefined,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/^cannot connect to the PostgreSQL database in THREESIX_DATABASE_URL/);
    expect(JSON.stringify({ message: failure?.message, cause: String(failure?.cause) })).not.toContain('hunter22');
  });

  describe.skipIf(!postgresBinaries)(
    `with a PostgreSQL${postgresBinaries ? '' : ' (skipped: PostgreSQL binaries not installed)'}`,
    () => {
      let postgres: TestPostgres | undefined;
      afterAll(() => postgres?.stop());

      it('opens PostgreSQL when the URL is set, and makes no SQLite file', async () => {
        postgres = await startTestPostgres();
        const url = await postgres.freshDatabase();
        const dataDir = tempDir();
        const store = await openStateStore(loadConfig({ THREESIX_DATA_DIR: dataDir, THREESIX_DATABASE_URL: url }));
        await store.access.createToken({
          name: 'cli',
          hash: 'h',
          scope: 'read',
          projects: [],
          maxProjects: null,
          expiresAt: null,
        });
        await store.close();
        const direct = await openPostgresStateStore(url);
        expect((await direct.access.listTokens()).map((t) => t.name)).toEqual(['cli']);
        await direct.close();
        expect(existsSync(`${dataDir}/threesix.db`)).toBe(false);
      }, 60_000);
    },
  );
});
