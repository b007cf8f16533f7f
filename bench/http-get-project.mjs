// Streamable HTTP: `get_project` throughput and p50/p95/p99 latency at concurrency 8, against a
// real `serve` process whose backends are the --sandbox stand-ins running in another process (as
// real backends would be), with 8 SDK clients (one session each). Baselines at the same
// concurrency in the same run: MCP `ping` (transport and SDK only, no threesix code) and
// `list_projects` (a tool call that reads only the database).
import { callTool, connectClient, freePort, startServe } from './serve-process.mjs';
import { tempDataDir } from './temp-dirs.mjs';
import { fmt, printTable } from './lib.mjs';
import { interleaved, processCpuMs } from './load.mjs';
import { startSandboxProcess } from './sandbox-process.mjs';
import { loadSource, runIfMain } from './source.mjs';

const CONCURRENCY = 8;
const CALLS = Number(process.env.BENCH_HTTP_CALLS ?? 400);
const ROUNDS = 2;
const MAX_MS = 20_000;
const PROJECT = 'bench-status';

/** With create_project (the lifecycle work) the project is made for real; before it, its row is seeded. */
async function seedRow(dataDir) {
  const { loadConfig, openSqliteStateStore } = await loadSource('http-seed', {
    'src/config.ts': ['loadConfig'],
    'src/adapters/sqlite/sqlite-state-store.ts': ['openSqliteStateStore'],
  });
  const store = await openSqliteStateStore(loadConfig({ THREESIX_DATA_DIR: dataDir }).databaseFile);
  await store.projects.create({ name: PROJECT, description: 'benchmark', state: 'ready' });
  await store.close();
}

export async function httpGetProject() {
  const dataDir = tempDataDir();
  const sandbox = await startSandboxProcess({ THREESIX_DATA_DIR: tempDataDir() });
  // The pipelines create_project starts notify the server, so it must know its own URL up front.
  const port = await freePort();
  const env = { ...sandbox.env, THREESIX_DATA_DIR: dataDir, THREESIX_PUBLIC_URL: `http://127.0.0.1:${port}` };
  const server = await startServe({ sandbox: false, port, env }).catch(async (error) => {
    await sandbox.stop();
    throw error;
  });
  const clients = [];
  try {
    for (let i = 0; i < CONCURRENCY; i++) clients.push(await connectClient(server.mcpUrl));
    const { tools } = await clients[0].listTools();
    let how = 'row seeded in SQLite (create_project not on this branch)';
    if (tools.some((t) => t.name === 'create_project')) {
      await callTool(clients[0], 'create_project', { name: PROJECT, description: 'benchmark' });
      how = 'made by create_project in the sandbox';
    } else {
      await seedRow(dataDir);
    }
    await callTool(clients[0], 'get_project', { project: PROJECT }); // warm-up, unmeasured
    const results = await interleaved(
      {
        ping: (worker) => clients[worker].ping(),
        list_projects: (worker) => callTool(clients[worker], 'list_projects', {}),
        get_project: (worker) => callTool(clients[worker], 'get_project', { project: PROJECT }),
      },
      ROUNDS,
      { workers: CONCURRENCY, total: CALLS / ROUNDS, maxMs: MAX_MS },
      () => ({ server: processCpuMs(server.pid), standIns: processCpuMs(sandbox.pid) }),
    );
    for (const [name, r] of Object.entries(results))
      if (r.failures > 0) throw new Error(`${name}: ${r.failures} calls failed, first: ${r.firstError?.message}`);
    const base = results.ping;
    printTable(
      `Streamable HTTP at concurrency ${CONCURRENCY} (serve, stand-ins in their own process; ${results.get_project.calls} calls per subject; project ${how})`,
      [
        ...Object.entries(results).map(([name, r]) => ({
          subject: name === 'ping' ? 'ping (baseline)' : name,
          'calls/s': fmt(r.perSecond, 0),
          'p50 ms': fmt(r.p50),
          'p95 ms': fmt(r.p95),
          'p99 ms': fmt(r.p99),
          'p50 vs ping': `${fmt(r.p50 / base.p50, 2)}x`,
          'calls/s vs ping': `${fmt(r.perSecond / base.perSecond, 2)}x`,
          'server CPU ms/call': fmt(r.cpuPerCall.server, 2),
          'stand-ins CPU ms/call': fmt(r.cpuPerCall.standIns, 2),
        })),
      ],
    );
    const g = results.get_project;
    process.stdout.write(
      `result: get_project at concurrency ${CONCURRENCY}: ${fmt(g.perSecond, 0)} calls/s, p50/p95/p99 ${fmt(g.p50, 0)}/${fmt(g.p95, 0)}/${fmt(g.p99, 0)} ms (p50 ${fmt(g.p50 / base.p50, 1)}x ping)\n`,
    );
    return results;
  } finally {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    await server.stop();
    await sandbox.stop();
  }
}

await runIfMain(import.meta, httpGetProject);
