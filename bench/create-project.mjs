// create_project wall time with every stand-in adding 50 ms per call, against the critical path of
// dependent backend calls. The critical path comes from the saga itself: probe runs execute the
// real create operation with the preflight checks and each step in its own tagged scope, record
// every backend call each makes, and walk the steps' declared dependencies (`after`) for the
// longest chain. Two lengths are reported:
//   dependent calls × 50 ms   the floor the added latency alone imposes;
//   measured                  the same chain timed by the calls' own durations (latency plus the
//                             stand-in's work, e.g. the Gitea stand-in running git to commit).
// Timed runs then call the real service, and the real tool over streamable HTTP; a second sandbox
// without added latency, in the same process, shows the wall time that is not backend waiting.
import { fmt, median, printTable } from './lib.mjs';
import { callTool, connectClient, freePort } from './serve-process.mjs';
import { tempDataDir } from './temp-dirs.mjs';
import { sequentialChain, tagged, traceBackendCalls } from './backend-calls.mjs';
import { loadSource, runIfMain } from './source.mjs';

const LATENCY_MS = 50;
const RUNS = Number(process.env.BENCH_CREATE_RUNS ?? 5);
const VERBOSE = process.env.BENCH_VERBOSE === '1';
// Each create pushes a starter commit whose simulated pipeline builds, notifies and deploys in the
// background of this process; a pause before each measured create lets that work finish first.
const SETTLE_MS = 2500;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

async function sandbox(src, latencyMs) {
  // As `serve --sandbox` does: the server's own URL is where the pipelines notify it.
  const port = await freePort();
  const env = {
    THREESIX_PUBLIC_URL: `http://127.0.0.1:${port}`,
    THREESIX_DATA_DIR: tempDataDir(),
    THREESIX_LOG_LEVEL: 'error',
    THREESIX_SANDBOX_LATENCY_MS: String(latencyMs),
    THREESIX_COLLABORATORS: 'alice:write',
    THREESIX_DEPLOY_KEY: src.newSshPublicKey('threesix-bench'),
  };
  const booted = await src.boot({ sandbox: true, env });
  const http = await src.runServe(booted, { host: '127.0.0.1', port });
  const client = await connectClient(new URL(`${http.url}/mcp`));
  return {
    app: booted.app,
    client,
    close: async () => {
      await client.close();
      await http.close();
    },
  };
}

/** Longest chain through the steps' `after` edges, by `weight` of each step. */
function longestChain(steps, weight) {
  const finish = new Map();
  for (const step of steps)
    finish.set(step.name, Math.max(0, ...(step.after ?? []).map((d) => finish.get(d))) + weight(step.name));
  return Math.max(0, ...finish.values());
}

async function probe(src, box, trace, name) {
  const { app } = box;
  const definition = src.createProjectOperation;
  const input = { name, description: 'critical path probe', private: false };
  await settle();
  const scoped = {
    ...definition,
    steps: definition.steps.map((s) => ({ ...s, run: (ctx) => tagged(s.name, () => s.run(ctx)) })),
    finish: (ctx) => tagged('finish', () => definition.finish(ctx)),
  };
  trace.reset();
  await tagged('preflight', () => src.preflightCreate(app, input));
  await app.store.projects.create({ name, description: input.description, state: 'provisioning' });
  const run = await src.executeOperation(app, scoped, await src.startOperation(app, definition, name, input));
  if (run.failure) throw new Error(`probe create failed at ${run.failure.step}: ${run.operation.error}`);
  const steps = ['preflight', ...definition.steps.map((s) => s.name), 'finish'].map((step) => ({
    step,
    calls: trace.of(step),
    ...sequentialChain(trace.of(step)),
  }));
  const of = (step, key) => steps.find((s) => s.step === step)[key];
  const chain = (key) =>
    of('preflight', key) + longestChain(definition.steps, (step) => of(step, key)) + of('finish', key);
  return { steps, depth: chain('depth'), ms: chain('ms') };
}

async function timed(src, box, trace, prefix) {
  const service = [];
  const tool = [];
  for (let i = 0; i < RUNS; i++) {
    await settle();
    trace.reset();
    const t0 = performance.now();
    await tagged('create', () => src.createProject(box.app, { name: `${prefix}-svc-${i}`, description: 'benchmark' }));
    service.push({ ms: performance.now() - t0, calls: trace.of('create').length });
    await settle();
    const t1 = performance.now();
    await callTool(box.client, 'create_project', { name: `${prefix}-mcp-${i}`, description: 'benchmark' });
    tool.push({ ms: performance.now() - t1 });
  }
  return { service, tool };
}

export async function createProjectBench() {
  const src = await loadSource('create-project', {
    'src/main/boot.ts': ['boot'],
    'src/main/run-serve.ts': ['runServe'],
    'src/services/projects/create-project.service.ts': ['createProject'],
    'src/services/projects/create-project.operation.ts': ['createProjectOperation'],
    'src/services/projects/plan-create-project.ts': ['preflightCreate'],
    'src/services/operations/run-operation.ts': ['startOperation', 'executeOperation'],
    'test/support/ssh-key.ts': ['newSshPublicKey'],
  });
  const trace = traceBackendCalls();
  const slow = await sandbox(src, LATENCY_MS);
  const fast = await sandbox(src, 0);
  try {
    // Warm-up, unmeasured: builds the adapters (and loads their SDKs) and JIT-compiles the path.
    for (const box of [slow, fast]) await src.createProject(box.app, { name: 'bench-warmup', description: 'warm-up' });
    const probes = [];
    for (let i = 0; i < RUNS; i++) probes.push(await probe(src, slow, trace, `bench-probe-${i}`));
    const runs = { slow: await timed(src, slow, trace, 'slow'), fast: await timed(src, fast, trace, 'fast') };

    const first = probes[0];
    printTable(
      `create_project steps (probe run, ${LATENCY_MS} ms added per backend call)`,
      first.steps.map((s) => ({
        step: s.step,
        'backend calls': s.calls.length,
        'sequential depth': s.depth,
        'ms in sequential calls': fmt(s.ms, 0),
        ...(VERBOSE
          ? { calls: s.calls.map((c) => c.target.replace(/^(\w+) http:\/\/127\.0\.0\.1:\d+/, '$1 ')).join(', ') }
          : {}),
      })),
    );
    const floorMs = first.depth * LATENCY_MS;
    const measuredMs = median(probes.map((p) => p.ms));
    const m = (list, key = 'ms') => median(list.map((r) => r[key]));
    const slowSvc = m(runs.slow.service);
    const slowTool = m(runs.slow.tool);
    const row = (subject, wall, calls = '-') => ({
      subject,
      'wall ms': fmt(wall, 0),
      'backend calls': calls,
      'over floor ms': fmt(wall - floorMs, 0),
      'over measured path ms': fmt(wall - measuredMs, 0),
    });
    printTable(`create_project wall time (medians of ${RUNS} creates each)`, [
      row(`critical path floor: ${first.depth} dependent calls × ${LATENCY_MS} ms`, floorMs),
      row("critical path measured (same chain, the calls' own durations)", measuredMs),
      row(`service, ${LATENCY_MS} ms per call`, slowSvc, m(runs.slow.service, 'calls')),
      row(`tool over streamable HTTP, ${LATENCY_MS} ms per call`, slowTool),
      {
        ...row('service, no added latency', m(runs.fast.service), m(runs.fast.service, 'calls')),
        'over floor ms': '-',
        'over measured path ms': '-',
      },
      {
        ...row('tool over streamable HTTP, no added latency', m(runs.fast.tool)),
        'over floor ms': '-',
        'over measured path ms': '-',
      },
    ]);
    const verdict = (limit) => `${fmt(limit + 100, 0)} ms → ${slowTool <= limit + 100 ? 'met' : 'NOT met'}`;
    process.stdout.write(
      `target: create_project (tool, ${fmt(slowTool, 0)} ms) ≤ critical path + 100 ms: ` +
        `against the latency floor ${verdict(floorMs)}; against the measured path ${verdict(measuredMs)}\n`,
    );
    if (VERBOSE)
      process.stdout.write(
        `runs (ms): ${Object.entries(runs)
          .map(
            ([k, r]) =>
              `${k} service ${r.service.map((x) => fmt(x.ms, 0)).join('/')}, tool ${r.tool.map((x) => fmt(x.ms, 0)).join('/')}`,
          )
          .join('; ')}; probes ${probes.map((p) => fmt(p.ms, 0)).join('/')}\n`,
      );
    const pass = slowTool <= floorMs + 100;
    return { floorMs, measuredMs, slowSvc, slowTool, pass };
  } finally {
    trace.stop();
    await slow.close();
    await fast.close();
  }
}

await runIfMain(import.meta, createProjectBench);
