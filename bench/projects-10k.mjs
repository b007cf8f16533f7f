// 10,000 projects: `list_projects` page time, and `reconcile` time and backend calls, each at 200
// and at 10,000 projects in the same run (the ratio is the scaling). Rows are seeded straight into
// SQLite through the store; the paginated backends hold one object per project, seeded into the
// stand-ins' state (Gitea: its state file; Cloudflare: its zone; Woodpecker: its activations), so
// listing them takes as many pages as a real installation would. Registry and cluster are the
// ordinary --sandbox stand-ins.
// Backend calls are counted as the HTTP requests this process sends to the stand-ins.
import { fmt, median, printTable } from './lib.mjs';
import { sequentialChain, tagged, traceBackendCalls } from './backend-calls.mjs';
import { name, setUp } from './seed-projects.mjs';
import { MissingFeature, loadSource, runIfMain } from './source.mjs';

const SIZES = [200, 10_000];
const PAGE_SAMPLES = Number(process.env.BENCH_PAGE_SAMPLES ?? 20);

/** Page times for every size, sampled in alternation so a busy moment on the machine hits all sizes alike. */
async function pageTimes(src, envs) {
  const clients = await Promise.all(envs.map((env) => src.connectInMemory(env.app)));
  const kinds = {
    first: () => ({}),
    middle: (count) => ({ cursor: name(Math.floor(count / 2)) }),
    first200: () => ({ limit: 200 }),
  };
  const samples = envs.map(() => Object.fromEntries(Object.keys(kinds).map((k) => [k, []])));
  for (let round = -PAGE_SAMPLES; round < PAGE_SAMPLES; round++) {
    for (const [i, env] of envs.entries()) {
      for (const [kind, args] of Object.entries(kinds)) {
        const t0 = performance.now();
        const result = await clients[i].callTool({ name: 'list_projects', arguments: args(env.count) });
        if (result.isError) throw new Error(`list_projects failed: ${result.content?.[0]?.text}`);
        if (round >= 0) samples[i][kind].push(performance.now() - t0); // negative rounds warm up
      }
    }
  }
  await Promise.all(clients.map((c) => c.close()));
  return samples.map((byKind) => Object.fromEntries(Object.entries(byKind).map(([kind, ms]) => [kind, median(ms)])));
}

async function reconcileOnce(reconcile, app, trace, backendOf) {
  trace.reset();
  const t0 = performance.now();
  const outcome = await tagged('reconcile', () => reconcile(app, {}));
  const ms = performance.now() - t0;
  const calls = trace.of('reconcile');
  const byBackend = {};
  const waitBy = {};
  for (const backend of new Set(calls.map((c) => backendOf(c.target)))) {
    const own = calls.filter((c) => backendOf(c.target) === backend);
    byBackend[backend] = own.length;
    waitBy[backend] = sequentialChain(own).ms;
  }
  // Backends are listed in parallel: the slowest backend's chain of calls is the wait.
  const waitMs = Math.max(0, ...Object.values(waitBy));
  return {
    ms,
    waitMs,
    waitBy,
    calls: calls.length,
    byBackend,
    drift: outcome.drift.length,
    checked: outcome.checked,
    backends: outcome.backends,
  };
}

export async function projects10k() {
  const src = await loadSource('projects-10k', {
    'src/config.ts': ['loadConfig'],
    'src/main/boot.ts': ['boot'],
    'src/sandbox/gitea/index.ts': ['startGiteaStandIn'],
    'src/sandbox/cloudflare/cloudflare-stand-in.ts': ['startCloudflareStandIn'],
    'src/sandbox/woodpecker/index.ts': ['startWoodpeckerStandIn'],
    'src/domain/dns-ownership.ts': ['ownerMark'],
    'test/support/in-memory-client.ts': ['connectInMemory'],
  });
  let lifecycle;
  let missing;
  try {
    lifecycle = await loadSource('projects-10k-lifecycle', {
      'src/services/reconcile/reconcile.service.ts': ['reconcile'],
      'src/services/projects/project-dns.ts': ['desiredProjectRecord'],
    });
  } catch (error) {
    if (!(error instanceof MissingFeature)) throw error;
    missing = error.message;
  }
  const reconcile = lifecycle?.reconcile;
  // Before the lifecycle work the record is written as its DNS step would (an A record to CLUSTER_IP).
  const desiredProjectRecord =
    lifecycle?.desiredProjectRecord ??
    ((config, fqdn) => ({ name: fqdn, type: 'A', content: config.CLUSTER_IP, ttl: 1, proxied: false }));
  const trace = traceBackendCalls();
  const results = {};
  const envs = [];
  try {
    for (const count of SIZES) envs.push({ count, ...(await setUp(src, desiredProjectRecord, count)) });
    const pages = await pageTimes(src, envs);
    for (const [i, env] of envs.entries()) results[env.count] = { seedMs: env.seedMs, pages: pages[i] };
    if (reconcile) {
      for (const env of envs) {
        await reconcileOnce(reconcile, env.app, trace, env.backendOf); // warm-up: builds the adapters
        results[env.count].reconcile = await reconcileOnce(reconcile, env.app, trace, env.backendOf);
      }
    }
  } finally {
    trace.stop();
    for (const env of envs) await env.close();
  }
  const [small, large] = SIZES.map((n) => results[n]);
  const ratio = (a, b) => `${fmt(a / b, 2)}x`;
  printTable(
    `list_projects page time over MCP (in-process client; median of ${PAGE_SAMPLES} calls each, sizes sampled in alternation)`,
    [
      ...SIZES.map((n) => ({
        projects: n.toLocaleString('en'),
        'first page (50) ms': fmt(results[n].pages.first, 2),
        'middle page (50) ms': fmt(results[n].pages.middle, 2),
        'first page (200) ms': fmt(results[n].pages.first200, 2),
        'rows seeded in ms': fmt(results[n].seedMs, 0),
      })),
      {
        projects: 'ratio',
        'first page (50) ms': ratio(large.pages.first, small.pages.first),
        'middle page (50) ms': ratio(large.pages.middle, small.pages.middle),
        'first page (200) ms': ratio(large.pages.first200, small.pages.first200),
        'rows seeded in ms': '-',
      },
    ],
  );
  process.stdout.write(
    `result: list_projects first page at ${SIZES[1].toLocaleString('en')} projects ${fmt(large.pages.first, 1)} ms, ${ratio(large.pages.first, small.pages.first)} the time at ${SIZES[0]}\n`,
  );
  if (!reconcile) {
    process.stdout.write(`reconcile: not measured, ${missing} (it comes with the lifecycle work)\n`);
    return { ...results, pass: undefined };
  }
  const backends = [...new Set(SIZES.flatMap((n) => Object.keys(results[n].reconcile.byBackend)))].sort();
  printTable('reconcile (no repair), backends listed through the stand-ins', [
    ...SIZES.map((n) => {
      const r = results[n].reconcile;
      return {
        projects: n.toLocaleString('en'),
        'wall ms': fmt(r.ms, 0),
        'waiting on backends ms': fmt(r.waitMs, 0),
        'backend calls': r.calls,
        ...Object.fromEntries(
          backends.map((b) => [`${b} calls (ms)`, `${r.byBackend[b] ?? 0} (${fmt(r.waitBy[b] ?? 0, 0)})`]),
        ),
        drift: r.drift,
      };
    }),
    {
      projects: 'ratio',
      'wall ms': ratio(large.reconcile.ms, small.reconcile.ms),
      'waiting on backends ms': ratio(large.reconcile.waitMs, small.reconcile.waitMs),
      'backend calls': ratio(large.reconcile.calls, small.reconcile.calls),
      ...Object.fromEntries(backends.map((b) => [`${b} calls (ms)`, '-'])),
      drift: '-',
    },
  ]);
  const notOk = Object.entries(large.reconcile.backends).filter(
    ([, status]) => status !== 'ok' && status !== 'not_configured',
  );
  if (notOk.length > 0)
    process.stdout.write(`note: backends not listed: ${notOk.map(([b, s]) => `${b}: ${s}`).join('; ')}\n`);
  // O(pages): the calls grow with the pages the listings need (50 repos, 100 records a page), never one per project.
  const pass = large.reconcile.calls < large.reconcile.checked / 10;
  process.stdout.write(
    `target: reconcile of ${SIZES[1].toLocaleString('en')} projects in O(pages) backend calls: ${large.reconcile.calls} calls → ${pass ? 'met' : 'NOT met'}\n`,
  );
  return { ...results, pass };
}

await runIfMain(import.meta, projects10k);
