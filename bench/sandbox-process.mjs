// The --sandbox stand-ins in a process of their own, so a benchmarked server talks to its backends
// over loopback HTTP as it would in production, without their work landing on its event loop.
// Run as a child: prints one JSON line ({ env }) once every stand-in listens, stops when stdin closes.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { loadSource, runIfMain } from './source.mjs';

/** Starts the stand-ins in a child process; `env` holds the variables that point adapters at them. */
export async function startSandboxProcess(env) {
  const child = spawn(process.execPath, [import.meta.filename], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH, THREESIX_LOG_LEVEL: 'error', ...env },
  });
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`sandbox process exited (${code}) before its stand-ins listened`)));
  });
  return {
    env: JSON.parse(line).env,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

async function serveSandbox() {
  const src = await loadSource('sandbox-process', {
    'src/config.ts': ['loadConfig'],
    'src/adapters/log/json-logger.ts': ['createJsonLogger'],
    'src/sandbox/index.ts': ['standIns'],
    'src/sandbox/start-sandbox.ts': ['startSandbox'],
  });
  const config = src.loadConfig(process.env);
  const sandbox = await src.startSandbox(
    config,
    src.standIns,
    src.createJsonLogger({ level: config.THREESIX_LOG_LEVEL }),
  );
  process.stdout.write(`${JSON.stringify({ env: sandbox.env })}\n`);
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.once('end', resolve));
  await sandbox.stop();
}

await runIfMain(import.meta, serveSandbox);
