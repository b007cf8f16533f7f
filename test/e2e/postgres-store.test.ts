/**
 * `serve` on PostgreSQL: the built CLI, started with THREESIX_DATABASE_URL pointing at a throwaway
 * PostgreSQL (test/support/postgres.ts), creates a project through a real MCP client over HTTP;
 * the project, its journal and audit rows land in PostgreSQL and no SQLite file is made. The URL's
 * password appears in none of the server's output. Skipped, visibly, without PostgreSQL's binaries.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCrashRig, startServer, type CrashRig, type ServerProcess } from '../support/crash-harness.js';
import { connectHttp } from '../support/mcp-clients.js';
import { postgresBinaries, startTestPostgres, type TestPostgres } from '../support/postgres.js';

describe.skipIf(!postgresBinaries)(
  `serve with THREESIX_DATABASE_URL${postgresBinaries ? '' : ' (skipped: PostgreSQL binaries not installed; apt-get install postgresql)'}`,
  () => {
    let postgres: TestPostgres;
    let url: string;
    let rig: CrashRig;
    let server: ServerProcess;
    let client: Client;

    beforeAll(async () => {
      postgres = await startTestPostgres();
      url = await postgres.freshDatabase();
      // The stand-ins in this process, `serve` (the built CLI) configured to reach them, as the crash tests run it.
      // CI's callback is not exercised here: a public URL nothing listens on lets create_project wire the webhook.
      rig = await startCrashRig(0, { THREESIX_DATABASE_URL: url, THREESIX_PUBLIC_URL: 'http://127.0.0.1:9' });
      server = await startServer(rig);
      client = await connectHttp(server.url);
    }, 60_000);

    afterAll(async () => {
      await client?.close();
      await server?.kill();
      await rig?.stop();
      await postgres?.stop();
    });

    it('creates a project through MCP, kept in PostgreSQL and not in a SQLite file', async () => {
      const result = await client.callTool({
        name: 'create_project',
        arguments: { name: 'pg-notes', description: 'on PostgreSQL' },
      });
      expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
      expect(result.structuredContent).toMatchObject({ project: 'pg-notes' });

      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        expect((await db.query('select name, description from projects')).rows).toEqual([
          { name: 'pg-notes', description: 'on PostgreSQL' },
        ]);
        expect(
          (await db.query("select status from operations where kind = 'create_project' and target = 'pg-notes'")).rows,
        ).toEqual([{ status: 'succeeded' }]);
        expect(
          Number(
            (await db.query<{ count: string }>("select count(*) from audit_events where target = 'pg-notes'")).rows[0]!
              .count,
          ),
        ).toBeGreaterThan(0);
      } finally {
        await db.end();
      }
      expect(existsSync(join(rig.dataDir, 'threesix.db'))).toBe(false);
      const listed = await client.callTool({ name: 'list_projects', arguments: {} });
      expect(JSON.stringify(listed.structuredContent)).toContain('pg-notes');
      const password = new URL(url).password;
      expect(server.stderr()).toContain('http server listening');
      expect(server.stderr()).not.toContain(password);
      expect(readdirSync(rig.dataDir).filter((f) => f.endsWith('.db'))).toEqual([]);
    }, 60_000);
  },
);
