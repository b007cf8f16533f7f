// `npm run bench`: builds (see package.json), then runs every benchmark, each in its own Node
// process so one's heap and JIT state cannot skew the next, and ends with the targets' verdicts.
// The header records the machine's state, because every number here depends on it.
import { spawn } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';

const BENCHMARKS = [
  'cold-start.mjs',
  'tools-list-size.mjs',
  'http-get-project.mjs',
  'webhook.mjs',
  'create-project.mjs',
  'projects-10k.mjs',
  'replicas.mjs',
];
const TIMEOUT_MS = 5 * 60_000;

function run(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(import.meta.dirname, file)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ file, code, signal, out });
    });
  });
}

const cpu = cpus();
process.stdout.write(
  `threesix benchmarks, ${new Date().toISOString()}\n` +
    `node ${process.version}, ${cpu.length} × ${cpu[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, ` +
    `load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(' ')} at start\n`,
);
const results = [];
for (const file of BENCHMARKS) {
  process.stdout.write(`\n=== ${file}\n`);
  results.push(await run(file));
}
process.stdout.write(
  `\n=== summary (load average ${loadavg()
    .map((n) => n.toFixed(2))
    .join(' ')} at end)\n`,
);
for (const r of results) {
  const lines = r.out
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('target:') ||
        l.startsWith('result:') ||
        l.startsWith('skipped:') ||
        l.startsWith('reconcile: not measured'),
    );
  const status = r.code === 0 ? '' : ` FAILED (${r.signal ?? `exit ${r.code}`})`;
  process.stdout.write(`${r.file}${status}\n${lines.map((l) => `  ${l}\n`).join('')}`);
}
process.exitCode = results.some((r) => r.code !== 0) ? 1 : 0;
