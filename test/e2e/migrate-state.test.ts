/**
 * `threesix-mcp migrate-state`: state made by the real `serve` on SQLite (projects through an MCP
 * client, a deploy's release, their audit events) and a token made by `threesix-mcp token create`
 * is copied into a throwaway PostgreSQL; `serve` started on PostgreSQL then shows the same
 * projects, releases and events, and the token still opens /mcp. A target that holds rows is
 * refused and left as it was; a missing or wrong URL fails naming THREESIX_DATABASE_URL and
 * printing no password. The SQLite file is not written. Skipped, visibly, without PostgreSQL.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import {
  journalFile,
  startCrashRig,
  startServer,
  type CrashRig,
  type ServerProcess,
} from '../support/crash-harness.js';
import { CLI, connectHttp } from '../support/mcp-clients.js';
import { postgresBinaries, startTestPostgres, type TestPostgres } from '../support/postgres.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

type Structured = Record<string, unknown>;
const text = (read: { contents: Array<{ text: string } | { blob: string }> }): string => {
  const first = read.contents[0];
  return first && 'text' in first ? first.text : '';
};

describe.skipIf(!postgresBinaries)(
  `migrate-state from SQLite to PostgreSQL${postgresBinaries ? '' : ' (skipped: PostgreSQL binaries not installed; apt-get install postgresql)'}`,
  () => {
    let postgres: TestPostgres;
    let rig: CrashRig;
    let sqliteServer: ServerProcess | undefined;
    let pgServer: ServerProcess | undefined;
    let client: Client | undefined;
    let token: string;
    let before: { projects: string; releases: string; events: string };

    const read = async (c: Client, uri: string) => text(await c.readResource({ uri }));
    const snapshotOf = async (c: Client) => ({
      projects: JSON.stringify((await c.callTool({ name: 'list_projects', arguments: {} })).structuredContent),
      releases: await read(c, 'threesix://projects/notes/releases'),
      events: await read(c, 'threesix://projects/notes/events'),
    });

    /** Pushes `threesix/notes:TAG` to the sandbox registry and deploys it: one more release. */
    const deployNotes = async (c: Client, tag: string) => {
      const registry = rig.env.REGISTRY_URL!;
      await pushImage(registry, 'threesix/notes', tag, tag);
      const deployed = await c.callTool({
        name: 'deploy',
        arguments: { project: 'notes', image: `${registry.replace(/^https?:\/\//, '')}/threesix/notes:${tag}` },
      });
      expect(deployed.isError, JSON.stringify(deployed.content)).toBeFalsy();
      return deployed;
    };

    beforeAll(async () => {
      postgres = await startTestPostgres();
      rig = await startCrashRig(0, { THREESIX_PUBLIC_URL: 'http://127.0.0.1:9' });
      sqliteServer = await startServer(rig);
      client = await connectHttp(sqliteServer.url);
      for (const name of ['notes', 'shop']) {
        const created = await client.callTool({ name: 'create_project', arguments: { name, description: name } });
        expect(created.isError, JSON.stringify(created.content)).toBeFalsy();
      }
      await deployNotes(client, 'v1');
      before = await snapshotOf(client);
      expect(before.releases).toContain('threesix/notes:v1');
      expect(before.events).toContain('"target": "notes"');
      await client.close();
      client = undefined;
      // The single replica stops (SIGKILL: its last writes may sit in the WAL, which the copy must carry).
      await sqliteServer.kill();
      const made = await cli(['token', 'create', 'agent', '--scope', 'admin'], rig.env);
      expect(made.code, made.stderr).toBe(0);
      token = made.stdout.trim();
    }, 120_000);

    afterAll(async () => {
      await client?.close();
      await sqliteServer?.kill();
      await pgServer?.kill();
      await rig?.stop();
      await postgres?.stop();
    });

    it('copies every table, and serve on PostgreSQL shows the same projects, releases, events and token', async () => {
      const url = await postgres.freshDatabase();
      const file = journalFile(rig);
      const original = readFileSync(file);
      const env = { ...rig.env, THREESIX_DATABASE_URL: url };

      const dry = await cli(['migrate-state', '--from', file, '--dry-run'], env);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(/^projects\s+2$/m);
      expect(dry.stdout).toContain('dry run: nothing written');

      const run = await cli(['migrate-state', '--from', file], env);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^projects\s+2$/m);
      expect(run.stdout).toMatch(/^agent_tokens\s+1$/m);
      expect(run.stdout).toMatch(/^releases\s+[1-9]/m);
      expect(run.stdout).toContain('counts verified');
      expect(run.stdout).toContain('releases.id');
      expect(run.stdout + run.stderr).not.toContain(new URL(url).password);
      expect(readFileSync(file).equals(original)).toBe(true);

      pgServer = await startServer({ ...rig, env: { ...env, THREESIX_DATA_DIR: rig.dataDir } });
      client = await connectHttp(pgServer.url, { authorization: `Bearer ${token}` });
      expect(await snapshotOf(client)).toEqual(before);
      // The sequences go on after the copied ids: a new release and event land without a collision.
      const again = await client.callTool({
        name: 'create_project',
        arguments: { name: 'after', description: 'made on PostgreSQL' },
      });
      expect(again.isError, JSON.stringify(again.content)).toBeFalsy();
      expect((again.structuredContent as Structured).project).toBe('after');
      const redeployed = await deployNotes(client, 'v2');
      expect(((redeployed.structuredContent as Structured).release as { id: number }).id).toBe(2);
      const anonymous = await fetch(pgServer.url, { method: 'POST', body: '{}' });
      expect(anonymous.status).toBe(401);
    }, 120_000);

    it('refuses a target that already holds state and leaves it unchanged', async () => {
      const url = await postgres.freshDatabase();
      const env = { ...rig.env, THREESIX_DATABASE_URL: url };
      expect((await cli(['migrate-state', '--from', journalFile(rig)], env)).code).toBe(0);
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        await db.query("delete from projects where name = 'shop'");
        const counts = async () =>
          (
            await db.query<{ n: string }>(
              'select (select count(*) from projects) + (select count(*) from releases) as n',
            )
          ).rows[0]!.n;
        const held = await counts();
        const refused = await cli(['migrate-state', '--from', journalFile(rig)], env);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toMatch(/already holds state \(.*projects: 1/);
        expect(refused.stderr).toContain('nothing was copied');
        expect(await counts()).toBe(held);
      } finally {
        await db.end();
      }
    }, 60_000);

    it('fails naming THREESIX_DATABASE_URL when it is absent, not PostgreSQL, or wrong, and prints no password', async () => {
      const file = journalFile(rig);
      const absent = await cli(['migrate-state', '--from', file], rig.env);
      expect(absent.code).toBe(1);
      expect(absent.stderr).toContain('THREESIX_DATABASE_URL');

      const mysql = await cli(['migrate-state', '--from', file], {
        ...rig.env,
        THREESIX_DATABASE_URL: 'mysql://u:hunter2secret@127.0.0.1/db',
      });
      expect(mysql.code).toBe(1);
      expect(mysql.stderr).toContain('THREESIX_DATABASE_URL');
      expect(mysql.stderr).not.toContain('hunter2secret');

      const wrong = new URL(postgres.url);
      wrong.password = 'not-the-password-s3cret';
      const refused = await cli(['migrate-state', '--from', file], { ...rig.env, THREESIX_DATABASE_URL: wrong.href });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('THREESIX_DATABASE_URL');
      expect(refused.stderr + refused.stdout).not.toContain('not-the-password-s3cret');
      expect(refused.stderr + refused.stdout).not.toContain(new URL(postgres.url).password);
    }, 60_000);

    it('answers a usage error on stderr with exit 2', async () => {
      const missing = await cli(['migrate-state'], rig.env);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('migrate-state --from FILE');
      const unknown = await cli(['migrate-state', '--from', journalFile(rig), '--frm', 'x'], rig.env);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('threesix-mcp migrate-state --from FILE [--dry-run]');
      expect(unknown.stdout).toBe('');
    }, 30_000);
  },
);
