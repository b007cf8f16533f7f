// Webhook: accepted deliveries per second on POST /webhooks/woodpecker, with dedup on (every
// delivery carries an Idempotency-Key and its commit key; both are checked and recorded). The
// route is served by the same Hono app `serve` builds, over real HTTP on loopback, with the real
// SQLite store on disk. Git host and registry are the in-memory adapters (the CI fixture), so the
// number is threesix's own cost, not a stand-in's (the Gitea stand-in spawns git per branch read).
// Each round moves every project's main to a new commit with its image built, then delivers one
// notification per project, 8 at a time; a second pass replays them all (rejected as duplicates).
// The same deliveries also go to a server whose database holds 1,000 projects, to show that the
// token lookup (indexed) does not grow with the table.
// Baseline in the same run: a bare Hono route on the same server stack reading the same body.
// The load comes from a worker thread, so the client does not share the server's event loop.
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fmt, printTable } from './lib.mjs';
import { processCpuMs, runConcurrent, summarize } from './load.mjs';
import { startPoster } from './post-worker.mjs';
import { tempDataDir } from './temp-dirs.mjs';
import { loadSource, runIfMain } from './source.mjs';

const CONCURRENCY = 8;
const PROJECTS = Number(process.env.BENCH_WEBHOOK_PROJECTS ?? 50);
const ROUNDS = Number(process.env.BENCH_WEBHOOK_ROUNDS ?? 10);
// Unmeasured rounds first: with 50 deliveries a round, one round leaves the JIT of client and server cold.
const WARMUP = Number(process.env.BENCH_WEBHOOK_WARMUP ?? 3);
const LARGE = Number(process.env.BENCH_WEBHOOK_LARGE ?? 1000);
const MAX_MS = 20_000;

// CPU time of this process's main thread, which runs every server and the service (the client is a
// worker thread): less sensitive than throughput to what else the shared machine is running.
// From /proc in 10 ms ticks, so it only means something summed over all rounds.
const serverCpuMs = () => processCpuMs(`${process.pid}/task/${process.pid}`);
async function withCpu(run) {
  const before = serverCpuMs();
  const result = await run();
  return { ...result, cpuMs: serverCpuMs() - before };
}

function listen(fetch) {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname: '127.0.0.1', port: 0 }, (info) =>
      resolve({ url: `http://127.0.0.1:${info.port}`, close: () => new Promise((r) => server.close(() => r())) }),
    );
    server.once('error', reject);
  });
}

/**
 * The webhook route in the app `serve` builds, on a CI fixture with `active` deliverable projects and
 * `idle` more rows.
 */
async function webhookServer(src, active, idle) {
  const dir = tempDataDir();
  // Opened as `serve` opens it (WAL checkpoints on a worker thread).
  const fx = await src.createCiFixture({
    databaseFile: join(dir, 'threesix.db'),
    backgroundCheckpoints: true,
    env: { THREESIX_LOG_LEVEL: 'error' },
  });
  const projects = [];
  for (let i = 0; i < active; i++) projects.push({ name: `hook-${i}`, ...(await src.addCiProject(fx, `hook-${i}`)) });
  // Rows that only make the table bigger: the token lookup must not grow with them.
  for (let i = 0; i < idle; i++)
    await fx.app.store.projects.create({
      name: `idle-${i}`,
      description: '',
      state: 'ready',
      deployTokenHash: randomBytes(32).toString('hex'),
    });
  // Accepted deliveries are queued, not deployed: the deploy queue runs off the request path.
  const routes = src.woodpeckerWebhookRoutes(fx.app, { onQueued: () => undefined });
  const guard = { allowedHosts: ['127.0.0.1'], allowedOrigins: [] };
  const { hono } = src.createHttpApp({
    app: fx.app,
    createServer: () => {
      throw new Error('no MCP in this benchmark');
    },
    guard,
    token: undefined,
    routes: [routes],
  });
  const server = await listen(hono.fetch);
  /**
   * Moves every project's main to a new commit with its image built, as a pipeline would; returns the
   * notifications.
   */
  const nextRound = async (round) => {
    const deliveries = [];
    for (const p of projects) {
      const sha = await src.pushAndBuild(fx, p.name, `round ${round}`);
      const headers = {
        'content-type': 'application/json',
        authorization: `Bearer ${p.token}`,
        'idempotency-key': `bench-${p.name}-${round}`,
      };
      deliveries.push({ body: src.notifyBody(p.name, sha), headers });
    }
    return deliveries;
  };
  return {
    url: `${server.url}${src.WEBHOOK_PATH}`,
    app: fx.app,
    nextRound,
    close: async () => {
      await server.close();
      await fx.app.store.close();
    },
  };
}

export async function webhook() {
  const src = await loadSource('webhook', {
    'test/support/ci-fixture.ts': ['createCiFixture', 'addCiProject', 'pushAndBuild', 'notifyBody'],
    'src/http/create-app.ts': ['createHttpApp'],
    'src/http/woodpecker-webhook-routes.ts': ['woodpeckerWebhookRoutes'],
    'src/domain/ci-deploy.ts': ['WEBHOOK_PATH'],
    'src/services/ci/ci-webhook.service.ts': ['receiveCiWebhook'],
  });
  const small = await webhookServer(src, PROJECTS, 0);
  const large = await webhookServer(src, PROJECTS, LARGE - PROJECTS);
  const bare = new Hono();
  bare.post(src.WEBHOOK_PATH, async (c) => c.json({ status: 'queued', length: (await c.req.text()).length }, 202));
  const baseline = await listen(bare.fetch);

  const rounds = { accepted: [], duplicate: [], large: [], service: [], bare: [] };
  const poster = startPoster();
  try {
    // Rounds below 0 warm both sides (JIT, connections) and are not counted.
    for (let round = -WARMUP; round < ROUNDS; round++) {
      const [deliveries, largeDeliveries] = [await small.nextRound(round), await large.nextRound(round)];
      // The same judgement without HTTP: the service called in this process, 8 at a time.
      const direct = (app, list) =>
        runConcurrent({
          workers: CONCURRENCY,
          total: list.length,
          maxMs: MAX_MS,
          call: async (_, i) => {
            const { headers, body } = list[i];
            const outcome = await src.receiveCiWebhook(app, {
              rawBody: body,
              authorization: headers.authorization,
              idempotencyKey: headers['idempotency-key'],
            });
            if (!outcome.accepted) throw new Error(`service refused a sound delivery: ${outcome.reason}`);
          },
        });
      const load = (url, list, expected) =>
        withCpu(() =>
          poster.send({ requests: list.map((d) => ({ url, ...d })), workers: CONCURRENCY, expected, maxMs: MAX_MS }),
        );
      const measured = {
        accepted: await load(small.url, deliveries, 202),
        duplicate: await load(small.url, deliveries, 409),
        large: await load(large.url, largeDeliveries, 202),
      };
      // A new round of commits (made unmeasured) for the service, after the HTTP deliveries of this one.
      const serviceDeliveries = await small.nextRound(`${round}-service`);
      measured.service = await withCpu(() => direct(small.app, serviceDeliveries));
      measured.bare = await load(`${baseline.url}${src.WEBHOOK_PATH}`, deliveries, 202);
      if (round >= 0) for (const [name, run] of Object.entries(measured)) rounds[name].push(run);
    }
  } finally {
    await poster.close();
    await small.close();
    await large.close();
    await baseline.close();
  }
  const results = Object.fromEntries(
    Object.entries(rounds).map(([name, runs]) => {
      const summary = summarize(runs);
      return [name, { ...summary, cpuPerCall: runs.reduce((ms, r) => ms + r.cpuMs, 0) / summary.calls }];
    }),
  );
  for (const [name, r] of Object.entries(results))
    if (r.failures > 0)
      throw new Error(`webhook ${name}: ${r.failures} deliveries failed, first: ${r.firstError?.message}`);
  const base = results.bare;
  const label = {
    accepted: `threesix, ${PROJECTS} projects: accepted (202, queued)`,
    duplicate: `threesix, ${PROJECTS} projects: replayed (409 duplicate)`,
    large: `threesix, ${LARGE.toLocaleString('en')} projects: accepted (202, queued)`,
    service: `the service alone, no HTTP, ${PROJECTS} projects: accepted`,
    bare: 'bare Hono route reading the body (baseline)',
  };
  printTable(
    `Webhook POST /webhooks/woodpecker at concurrency ${CONCURRENCY} (${ROUNDS} rounds, SQLite on disk, memory git/registry)`,
    [
      ...Object.entries(results).map(([name, r]) => ({
        subject: label[name],
        deliveries: r.calls,
        'per s': fmt(r.perSecond, 0),
        'p50 ms': fmt(r.p50, 2),
        'p99 ms': fmt(r.p99, 2),
        'per s vs bare': `${fmt(r.perSecond / base.perSecond, 2)}x`,
        'server CPU ms each': fmt(r.cpuPerCall, 3),
      })),
    ],
  );
  const pass = results.accepted.perSecond >= 1000;
  process.stdout.write(
    `target: ≥ 1,000 accepted deliveries/s → ${pass ? 'met' : 'NOT met'} (${fmt(results.accepted.perSecond, 0)}/s)\n`,
  );
  return { ...results, pass };
}

await runIfMain(import.meta, webhook);
