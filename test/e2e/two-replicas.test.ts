/**
 * Issue 17's end-to-end check of several replicas: one `threesix-mcp sandbox`, one PostgreSQL, two
 * `serve` processes (built CLI) on their own ports sharing both, behind a failover proxy that is
 * their public URL (test/support/two-replicas.ts). Agents on both replicas create projects; CI's
 * notify step reaches the replicas in turn through the proxy; every commit is released exactly once
 * (counted in the database) and no project is lost or made twice. Then a replica is SIGKILLed with a
 * create_project's DNS call held at a gate, and later with a deploy's apply held: the other replica
 * finishes both (the leader's takeover), and the client whose session lived on the killed replica
 * carries on through the same URL with the same session id (sessions rebuilt from the database).
 * Skipped, visibly, without PostgreSQL's binaries.
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
    // THREESIX_TEST_REPLICA_LOGS=1: the live replicas' warnings and deploy/takeover lines, to see who did what.
    if (process.env.THREESIX_TEST_REPLICA_LOGS)
      for (const r of rig?.replicas ?? [])
        console.error(
          r
            .stderr()
            .split('\n')
            .filter((l) => /"(error|warn)"|deploy|takeover|leader/.test(l))
            .join('\n'),
        );
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
      create(a, 'rep-same'),
      create(b, 'rep-same'),
    ]);
    for (const result of results.slice(0, 2)) expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const same = results.slice(2).map((r) => Boolean(r.isError));
    expect(same.sort(), JSON.stringify(results.slice(2).map((r) => r.content))).toEqual([false, true]);
    const names = ['rep-a1', 'rep-b1', 'rep-same'];
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

  it('SIGKILL of a replica mid create_project: the other finishes it, and the client keeps its URL and session', async () => {
    // Through the proxy the session lives on replica 0 (the proxy's first choice while it is up).
    const agent = await connect(rig.proxy.url);
    await agent.callTool({ name: 'list_projects', arguments: {} });
    const session = (agent.transport as { sessionId?: string } | undefined)?.sessionId;
    expect(session).toBeTruthy();
    expect(rig.proxy.served.at(-1)?.upstream).toBe(0);

    // Its DNS record's create is held at the gate: the replica dies with that call in flight, after other steps.
    const dnsCreate = rig.gates.dns.hold((method, path) => method === 'POST' && path.includes('/dns_records'));
    const call = agent
      .callTool({ name: 'create_project', arguments: { name: 'rep-killed', description: 'killed midway' } })
      .then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
    await dnsCreate.held;
    const midway = await eventually(
      async () => {
        const op = await look.operation(rig.db, 'create_project', 'rep-killed');
        expect(op?.status).toBe('running');
        expect(Object.values(op!.steps)).toContain('done');
        return op!;
      },
      20_000,
      20,
    );
    await rig.kill(0);
    dnsCreate.release();
    // The call's response was cut with the replica that ran it (what the client sees then is the SDK's
    // business: an error, or a wait for a stream to resume); the operation must be finished by the other.
    void call;

    const finished = await eventually(
      async () => {
        const op = await look.operation(rig.db, 'create_project', 'rep-killed');
        expect(op, JSON.stringify(op)).toMatchObject({ id: midway.id, status: 'succeeded' });
        return op!;
      },
      25_000,
      200,
    );
    expect(Object.values(finished.steps).filter((status) => status !== 'done' && status !== 'skipped')).toEqual([]);
    expect((await look.projects(rig.db)).filter((p) => p.name === 'rep-killed')).toEqual([
      { name: 'rep-killed', state: 'ready' },
    ]);

    // The same client, URL and session id: its next requests land on replica 1.
    const got = await agent.callTool({ name: 'get_project', arguments: { project: 'rep-killed' } });
    expect(got.isError, JSON.stringify(got.content)).toBeFalsy();
    expect(got.structuredContent).toMatchObject({ name: 'rep-killed', state: 'ready' });
    expect((agent.transport as { sessionId?: string } | undefined)?.sessionId).toBe(session);
    expect(rig.proxy.served.at(-1)?.upstream).toBe(1);
  }, 60_000);

  it('SIGKILL of the replica running a deploy: the other deploys that commit, once', async () => {
    // Replica 0 is back first (the previous case killed it), and CI's delivery of the next commit goes to it.
    if (rig.replicas[0]!.child.exitCode !== null || rig.replicas[0]!.child.signalCode !== null) await rig.respawn(0);
    // Nothing else in flight (rep-killed's first deploy may still run): the kill hits the one deploy held below.
    await eventually(async () => expect(await look.deploysInFlight(rig.db)).toBe(0), 20_000, 100);
    rig.proxy.pinWebhooks(0);
    // The Deployment's apply for the new commit is held at the gate: the replica dies with it in flight.
    const apply = rig.gates.kube.hold(
      (method, path) => method === 'PATCH' && path.split('?')[0]!.endsWith('/deployments/rep-a1'),
    );
    const sha = await commit('rep-a1', 'third.txt');
    await apply.held;
    const row = (await look.queue(rig.db, 'rep-a1')).find((q) => q.sha === sha);
    expect(row?.status).toBe('running');
    const taken = { id: row!.id, holder: (await look.deployHolder(rig.db, row!.id))! };
    expect(taken.holder).toBeDefined();
    rig.proxy.pinWebhooks(undefined);
    await rig.kill(0);
    apply.release();
    // The lock's connection ends with the killed replica: it was the one running the deploy.
    await eventually(async () => expect(await look.backendAlive(rig.db, taken.holder)).toBe(false), 5_000, 50);
    const released = await eventually(
      async () => {
        const row = (await look.releasesPerCommit(rig.db)).find((r) => r.sha === sha);
        const queued = await look.queue(rig.db, 'rep-a1');
        expect(row?.statuses, JSON.stringify(queued)).toMatch(/succeeded$/);
        expect(queued.find((q) => q.id === taken.id)?.status).toBe('done');
        return row!;
      },
      25_000,
      200,
    );
    expect(released.count).toBe(1);

    // The killed replica comes back; nothing is deployed twice and no project is lost or doubled.
    await rig.respawn(0);
    expect((await look.projects(rig.db)).map((p) => p.name)).toEqual(['rep-a1', 'rep-b1', 'rep-killed', 'rep-same']);
    const twice = (await look.releasesPerCommit(rig.db)).filter((r) => r.count !== 1);
    expect(twice, JSON.stringify(twice)).toEqual([]);
  }, 60_000);
});
