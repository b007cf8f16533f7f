// Cold start over stdio: spawn → `initialize` answered, spawn → `tools/list` answered, and peak RSS,
// for threesix (every tool registered) and for the floor (a bare Node process answering by hand).
// Both are measured in the same run, interleaved, so the ratio holds on a busy machine.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fmt, median, onJsonLines, printTable } from './lib.mjs';
import { removeTempDirs, tempDataDir } from './temp-dirs.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function peakRssMb(pid) {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function measure(args) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { PATH: process.env.PATH, THREESIX_DATA_DIR: tempDataDir() },
    });
    const result = {};
    onJsonLines(child.stdout, (message) => {
      if (message.id === 1) {
        result.initializeMs = performance.now() - started;
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`);
      } else if (message.id === 2) {
        result.toolsListMs = performance.now() - started;
        result.tools = message.result.tools.length;
        result.peakRssMb = peakRssMb(child.pid);
        child.stdin.end();
      }
    });
    child.on('exit', () =>
      result.toolsListMs ? resolvePromise(result) : reject(new Error(`${args.join(' ')} exited early`)),
    );
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } })}\n`,
    );
  });
}

export async function coldStart() {
  const subjects = { threesix: [join(ROOT, 'dist/cli.js'), 'stdio'], floor: [join(ROOT, 'bench/floor-server.mjs')] };
  const samples = { threesix: [], floor: [] };
  await measure(subjects.threesix); // warm the OS file cache once, unmeasured
  for (let i = 0; i < RUNS; i++) {
    for (const [name, args] of Object.entries(subjects)) samples[name].push(await measure(args));
  }
  const summary = Object.fromEntries(
    Object.entries(samples).map(([name, runs]) => [
      name,
      {
        initialize: median(runs.map((r) => r.initializeMs)),
        toolsList: median(runs.map((r) => r.toolsListMs)),
        rss: median(runs.map((r) => r.peakRssMb)),
        tools: runs[0].tools,
      },
    ]),
  );
  const { threesix, floor } = summary;
  printTable(`Cold start over stdio (median of ${RUNS} spawns each)`, [
    {
      subject: `threesix (${threesix.tools} tools)`,
      'initialize ms': fmt(threesix.initialize),
      'tools/list ms': fmt(threesix.toolsList),
      'peak RSS MB': fmt(threesix.rss),
    },
    {
      subject: 'floor (bare node)',
      'initialize ms': fmt(floor.initialize),
      'tools/list ms': fmt(floor.toolsList),
      'peak RSS MB': fmt(floor.rss),
    },
    {
      subject: 'ratio',
      'initialize ms': `${fmt(threesix.initialize / floor.initialize, 2)}x`,
      'tools/list ms': `${fmt(threesix.toolsList / floor.toolsList, 2)}x`,
      'peak RSS MB': `${fmt(threesix.rss / floor.rss, 2)}x`,
    },
  ]);
  const pass = threesix.initialize <= 300 && threesix.initialize / floor.initialize <= 2.5;
  process.stdout.write(`target: initialize median ≤ 300 ms and ≤ 2.5x floor → ${pass ? 'met' : 'NOT met'}\n`);
  removeTempDirs();
  return { ...summary, pass };
}

if (import.meta.url === `file://${process.argv[1]}`) await coldStart();
