// Replicas (issue 17): webhook deliveries accepted per second and `get_project` calls per second with
// one `serve` on SQLite, one `serve` on PostgreSQL, and two `serve` processes sharing that
// PostgreSQL with the load split between them, all in the same run and measured in alternation, so
// the shared machine's load falls on each alike. Every server is the built CLI in its own process;
// the backends are the --sandbox stand-ins in one more process (sandbox-process.mjs), and
// PostgreSQL is a throwaway server started here (initdb and postgres, as the tests start it).
// A delivery is real: each round moves every project's main to a new commit through Gitea's API,
// waits for CI's stand-in to publish the commit's image, then posts one signed delivery per project
// (X-Threesix-Signature), 8 at a time from a worker thread; the accepted deploys then run, and the
// next subject starts only when every queue is empty. CI's own notify step points nowhere.
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { fmt, printTable } from './lib.mjs';
import { interleaved, processCpuMs, summarize } from './load.mjs';
import { startPoster } from './post-worker.mjs';
import { startSandboxProcess } from './sandbox-process.mjs';
import { callTool, connectClient, freePort, startServe } from './serve-process.mjs';
import { loadSource, MissingFeature, runIfMain } from './source.mjs';
import { tempDataDir } from './temp-dirs.mjs';

const CONCURRENCY = 8;
const PROJECTS = Number(process.env.BENCH_REPLICAS_PROJECTS ?? 16);
const ROUNDS = Number(process.env.BENCH_REPLICAS_ROUNDS ?? 3);
const CALLS = Number(process.env.BENCH_REPLICAS_CALLS ?? 240);
const MAX_MS = 20_000;
const SECRET = 'bench-replicas-webhook-secret-0123456789';

const progress = (line) => process.env.BENCH_VERBOSE && process.stderr.write(`${new Date().toISOString()} ${line}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what, probe, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** A PostgreSQL server for this run, and a URL per subject whose connections work in a schema of their own. */
async function startPostgresServer() {
  const src = await loadSource('replicas-postgres', {
    'src/sandbox/kubernetes/sandbox-postgres.ts': ['findPostgres', 'startPostgres'],
  });
  const binaries = src.findPostgres();
  if (!binaries) throw new MissingFeature('PostgreSQL binaries are not installed (Debian package postgresql)');
  const instance = await src.startPostgres(binaries, tempDataDir(), 'bench');
  const url = `postgres://${instance.user}:${instance.password}@127.0.0.1:${instance.port}/${instance.database}`;
  return {
    async schema(name) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`create schema ${name}`);
      await client.end();
      return `${url}?options=${encodeURIComponent(`-c search_path=${name}`)}`;
    },
    stop: () => instance.stop(),
  };
}

/** One subject: its servers (one or two), a client per load worker spread over them, and its projects. */
async function startSubject(name, sandbox, { databaseUrl, replicas }) {
  const dataDir = tempDataDir();
  const servers = [];
  for (let i = 0; i < replicas; i++) {
    const env = {
      ...sandbox.env,
      THREESIX_DATA_DIR: databaseUrl ? tempDataDir() : dataDir,
      // CI's own notify step fails (nothing listens): the benchmark posts every delivery itself.
      THREESIX_PUBLIC_URL: `http://127.0.0.1:${await freePort()}`,
      WOODPECKER_WEBHOOK_SECRET: SECRET,
      ...(databaseUrl ? { THREESIX_DATABASE_URL: databaseUrl } : {}),
    };
    servers.push(await startServe({ sandbox: false, env }));
  }
  const clients = [];
  for (let i = 0; i < CONCURRENCY; i++) clients.push(await connectClient(servers[i % replicas].mcpUrl));
  progress(`${name}: ${replicas} server(s) up`);
  const projects = Array.from({ length: PROJECTS }, (_, i) => `${name}-${i}`);
  // Eight at a time, one per client: setting up is not what is measured.
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = c; i < projects.length; i += CONCURRENCY)
        await callTool(client, 'create_project', { name: projects[i], description: 'benchmark' });
    }),
  );
  progress(`${name}: ${PROJECTS} projects created`);
  // Deploys still queued or running (the accepted deliveries' work), read where the subject keeps its state.
  const pgClient = databaseUrl ? new pg.Client({ connectionString: databaseUrl }) : undefined;
  await pgClient?.connect();
  const sqlite = databaseUrl ? undefined : new BetterSqlite3(join(dataDir, 'threesix.db'), { readonly: true });
  const busySql = "select count(*) as n from deploy_queue where status in ('queued', 'running')";
  const busy = async () =>
    Number(pgClient ? (await pgClient.query(busySql)).rows[0].n : sqlite.prepare(busySql).get().n);
  return {
    name,
    servers,
    clients,
    projects,
    idle: () => waitFor(`${name}: deploys to finish`, async () => (await busy()) === 0),
    cpuMs: () => servers.reduce((ms, s) => ms + processCpuMs(s.pid), 0),
    async stop() {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await pgClient?.end();
      sqlite?.close();
      for (const s of servers) await s.stop();
    },
  };
}

/** Moves each project's main to a new commit (Gitea's API), waits for CI's image of each; returns the deliveries. */
async function nextCommits(sandbox, subject, round) {
  const { GITEA_URL, GITEA_TOKEN, REGISTRY_URL } = sandbox.env;
  const org = sandbox.env.GITEA_DEFAULT_ORG ?? 'threesix'; // the servers' default too
  // All projects at once: the stand-ins' git work (commit, CI's clone and build) is most of a round's time.
  const deliveries = await Promise.all(
    subject.projects.map(async (project, i) => {
      const response = await fetch(`${GITEA_URL}/api/v1/repos/${org}/${project}/contents`, {
        method: 'POST',
        headers: { authorization: `token ${GITEA_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          branch: 'main',
          message: `round ${round}`,
          files: [
            { operation: 'create', path: `round-${round}.txt`, content: Buffer.from(`${round}\n`).toString('base64') },
          ],
        }),
      });
      if (response.status !== 201) throw new Error(`commit to ${project}: HTTP ${response.status}`);
      const { sha } = (await response.json()).commit;
      const body = JSON.stringify({
        project,
        repo: `${org}/${project}`,
        sha,
        branch: 'main',
        pipeline: round + 1,
        pipeline_url: `${sandbox.env.WOODPECKER_URL}/repos/${project}/pipeline/${round + 1}`,
      });
      const manifest = `${REGISTRY_URL}/v2/${org}/${project}/manifests/${sha}`;
      await waitFor(`image ${manifest}`, async () => (await fetch(manifest, { method: 'HEAD' })).ok);
      const server = subject.servers[i % subject.servers.length];
      return {
        url: `${server.url}/webhooks/woodpecker`,
        headers: {
          'content-type': 'application/json',
          'x-threesix-signature': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
          'idempotency-key': `bench-${project}-${round}`,
        },
        body,
      };
    }),
  );
  return deliveries;
}

export async function replicas() {
  const postgres = await startPostgresServer();
  const sandbox = await startSandboxProcess({ THREESIX_DATA_DIR: tempDataDir() });
  const subjects = [];
  const poster = startPoster();
  try {
    subjects.push(await startSubject('sqlite', sandbox, { replicas: 1 }));
    subjects.push(await startSubject('pg-one', sandbox, { replicas: 1, databaseUrl: await postgres.schema('one') }));
    subjects.push(await startSubject('pg-two', sandbox, { replicas: 2, databaseUrl: await postgres.schema('two') }));
    for (const s of subjects) await s.idle(); // the starter commits' deploys

    // Webhook: a round of commits per subject (unmeasured), then its deliveries (measured), subjects in turn.
    const hooks = Object.fromEntries(subjects.map((s) => [s.name, { runs: [], cpuMs: 0 }]));
    for (let round = -1; round < ROUNDS; round++) {
      for (const subject of subjects) {
        const requests = await nextCommits(sandbox, subject, round + 1);
        progress(`${subject.name}: round ${round} commits built`);
        const before = subject.cpuMs();
        const run = await poster.send({ requests, workers: CONCURRENCY, expected: 202, maxMs: MAX_MS });
        const spent = subject.cpuMs() - before;
        await subject.idle();
        progress(`${subject.name}: round ${round} delivered and deployed`);
        // Round -1 warms every server's JIT and connections and is not counted.
        if (round >= 0) {
          hooks[subject.name].runs.push(run);
          hooks[subject.name].cpuMs += spent;
        }
      }
    }
    const webhook = Object.fromEntries(
      Object.entries(hooks).map(([name, { runs, cpuMs }]) => {
        const summary = summarize(runs);
        return [name, { ...summary, cpuPerCall: cpuMs / summary.calls }];
      }),
    );

    // get_project: every subject's 8 clients (spread over its servers), interleaved rounds.
    for (const s of subjects) await callTool(s.clients[0], 'get_project', { project: s.projects[0] }); // warm-up
    const calls = await interleaved(
      Object.fromEntries(
        subjects.map((s) => [
          s.name,
          (worker) => callTool(s.clients[worker], 'get_project', { project: s.projects[worker % PROJECTS] }),
        ]),
      ),
      2,
      { workers: CONCURRENCY, total: CALLS / 2, maxMs: MAX_MS },
      () => Object.fromEntries(subjects.map((s) => [s.name, s.cpuMs()])),
    );
    for (const [name, r] of [...Object.entries(webhook), ...Object.entries(calls)])
      if (r.failures > 0) throw new Error(`${name}: ${r.failures} failed, first: ${r.firstError?.message}`);

    const label = {
      sqlite: 'one serve, SQLite',
      'pg-one': 'one serve, PostgreSQL',
      'pg-two': 'two serves, one PostgreSQL (load split)',
    };
    const base = { webhook: webhook.sqlite, calls: calls.sqlite };
    printTable(
      `Replicas: webhook deliveries (${PROJECTS} projects × ${ROUNDS} rounds, concurrency ${CONCURRENCY}) and get_project (${calls.sqlite.calls} calls, concurrency ${CONCURRENCY})`,
      subjects.map(({ name }) => ({
        subject: label[name],
        'accepted/s': fmt(webhook[name].perSecond, 0),
        'p50 ms': fmt(webhook[name].p50, 1),
        'vs SQLite': `${fmt(webhook[name].perSecond / base.webhook.perSecond, 2)}x`,
        'server CPU ms/delivery': fmt(webhook[name].cpuPerCall, 2),
        'get_project/s': fmt(calls[name].perSecond, 0),
        'get p50 ms': fmt(calls[name].p50, 1),
        'get vs SQLite': `${fmt(calls[name].perSecond / base.calls.perSecond, 2)}x`,
        'server CPU ms/get': fmt(calls[name].cpuPerCall[name], 2),
      })),
    );
    const two = webhook['pg-two'].perSecond / webhook['pg-one'].perSecond;
    const twoGet = calls['pg-two'].perSecond / calls['pg-one'].perSecond;
    process.stdout.write(
      `result: webhook accepted/s SQLite ${fmt(webhook.sqlite.perSecond, 0)}, PostgreSQL ${fmt(webhook['pg-one'].perSecond, 0)}, two replicas ${fmt(webhook['pg-two'].perSecond, 0)} (${fmt(two, 2)}x one); get_project/s ${fmt(calls.sqlite.perSecond, 0)} / ${fmt(calls['pg-one'].perSecond, 0)} / ${fmt(calls['pg-two'].perSecond, 0)} (${fmt(twoGet, 2)}x one)\n`,
    );
    return { webhook, calls };
  } finally {
    await poster.close();
    for (const s of subjects) await s.stop().catch(() => undefined);
    await sandbox.stop();
    await postgres.stop();
  }
}

await runIfMain(import.meta, replicas);
