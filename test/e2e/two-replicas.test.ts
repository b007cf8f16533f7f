/**
 * Issue 17's end-to-end check of several replicas: one `threesix-mcp sandbox`, one PostgreSQL, two
 * `serve` processes (built CLI) on their own ports sharing both, behind a failover proxy that is
 * their public URL (test/support/two-replicas.ts). Agents on both replicas create projects; CI's
 * notify step reaches the replicas in turn through the proxy; every commit is released exactly once
 * (counted in the database) and no project is lost or made twice. Skipped, visibly, without
 * PostgreSQL's binaries.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { connectHttp } from '../support/mcp-clients.js';
import { postgresBinaries } from '../support/postgres.js';
import { look, startTwoReplicas, type TwoReplicas } from '../support/two-replicas.js';

const note = postgresBinaries ? '' : ' (skipped: PostgreSQL binaries not installed; apt-get install postgresql)';

describe.skipIf(!postgresBinaries)(`two serve replicas on one PostgreSQL and one sandbox${note}`, () => {
  let rig: TwoReplicas;
  const clients: Client[] = [];
  const connect = async (url: string) => {
    const client = await connectHttp(new URL('/mcp', url));
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    rig = await startTwoReplicas({ latencyMs: 20, env: { THREESIX_DEPLOY_WAIT_S: '20' } });
  }, 60_000);
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await rig?.stop();
  });

  /** Commits a file to the project's main through Gitea's API, as a developer's push would; CI builds and notifies. */
  async function commit(project: string, path: string): Promise<string> {
    const env = rig.sandbox.env;
    const response = await fetch(`${env.GITEA_URL}/api/v1/repos/${env.GITEA_DEFAULT_ORG}/${project}/contents`, {
      method: 'POST',
      headers: { authorization: `token ${env.GITEA_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        branch: 'main',
        message: `add ${path}`,
        files: [{ operation: 'create', path, content: Buffer.from(`${path}\n`).toString('base64') }],
      }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { commit: { sha: string } }).commit.sha;
  }

  it('agents on both create projects, CI reaches both in turn, and every commit deploys exactly once', async () => {
    const [a, b] = [await connect(rig.replicas[0]!.url), await connect(rig.replicas[1]!.url)];
    const create = (client: Client, name: string) =>
      client.callTool({ name: 'create_project', arguments: { name, description: 'two replicas' } });
    // Both at once, and one name asked of both replicas at the same moment.
    const results = await Promise.all([
      create(a, 'rep-a1'),
      create(b, 'rep-b1'),
      create(a, 'rep-a2'),
      create(b, 'rep-b2'),
      create(a, 'rep-same'),
      create(b, 'rep-same'),
    ]);
    for (const result of results.slice(0, 4)) expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const same = results.slice(4).map((r) => Boolean(r.isError));
    expect(same.sort(), JSON.stringify(results.slice(4).map((r) => r.content))).toEqual([false, true]);
    const names = ['rep-a1', 'rep-a2', 'rep-b1', 'rep-b2', 'rep-same'];
    expect(await look.projects(rig.db)).toEqual(names.map((name) => ({ name, state: 'ready' })));

    // The starter commit of each project, then one more commit each: CI notifies through the proxy.
    const seeded = await eventually(
      async () => {
        const released = await look.releasesPerCommit(rig.db);
        expect(released.map((r) => r.project)).toEqual(names);
        return released;
      },
      30_000,
      200,
    );
    const pushed = await Promise.all(names.map((name) => commit(name, 'second.txt')));
    const expected = names
      .flatMap((project, i) => [
        { project, sha: seeded[i]!.sha },
        { project, sha: pushed[i]! },
      ])
      .sort((x, y) => `${x.project} ${x.sha}`.localeCompare(`${y.project} ${y.sha}`));
    const released = await eventually(
      async () => {
        const rows = await look.releasesPerCommit(rig.db);
        expect(rows.map((r) => ({ project: r.project, sha: r.sha }))).toEqual(expected);
        expect(rows.every((r) => r.statuses === 'succeeded')).toBe(true);
        return rows;
      },
      30_000,
      200,
    );
    expect(released.every((r) => r.count === 1)).toBe(true);
    // Both replicas took deliveries.
    const hooks = rig.proxy.served.filter((s) => s.path.startsWith('/webhooks/'));
    expect(new Set(hooks.map((h) => h.upstream))).toEqual(new Set([0, 1]));

    // The same delivery again, to both replicas at once: neither queues it (the commit is deployed).
    const body = JSON.stringify({
      project: 'rep-a1',
      repo: `${rig.sandbox.env.GITEA_DEFAULT_ORG}/rep-a1`,
      sha: pushed[0],
      branch: 'main',
      pipeline: 99,
      pipeline_url: 'http://ci.example.test/repos/1/pipeline/99',
    });
    const replays = await Promise.all([rig.deliver(0, body, 'replay-0'), rig.deliver(1, body, 'replay-1')]);
    expect(replays.map((r) => r.status)).toEqual([409, 409]);
    expect((await look.releasesPerCommit(rig.db)).every((r) => r.count === 1)).toBe(true);
  }, 60_000);
});
