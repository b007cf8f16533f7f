/**
 * `threesix-mcp sandbox` as a person runs it: the built CLI as a child process that writes its env
 * file, and the helpers the e2e tests use to read that file and stop the child.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { eventually } from './eventually.js';
import { exchangeLogEnv } from './exchange-log.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = resolve(ROOT, 'dist/cli.js');

/** `npm test` builds dist/ first (pretest); a direct vitest run builds it when missing. */
export function ensureBuilt(): void {
  if (!existsSync(CLI)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to its end with exactly this environment (nothing inherited). */
export function runBuiltCli(args: string[], env: Record<string, string>): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

export interface SandboxChild {
  child: ChildProcess;
  env: Record<string, string>;
  stderr(): string;
  /** Sends the signal (SIGTERM by default) and returns the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** KEY=value lines, comments skipped: the format run-sandbox.ts writes. */
export function parseEnvFile(text: string): Record<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  return Object.fromEntries(entries);
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((done) => child.once('exit', (code) => done(code)));
}

/** Starts the sandbox on dataDir and waits until it wrote dataDir/../<name>.env; `extraEnv` e.g. its latency knob. */
export async function startSandboxCli(
  dataDir: string,
  envFile = join(dataDir, '..', 'sandbox.env'),
  extraEnv: Record<string, string> = {},
): Promise<SandboxChild> {
  // Only what the test sets: the developer's own GITEA_TOKEN or KUBECONFIG must not leak in.
  const child = spawn(process.execPath, [CLI, 'sandbox', '--write-env', envFile], {
    // The exchange log: every call anyone makes to these stand-ins is checked against the vendor specs after the file.
    env: {
      PATH: process.env.PATH ?? '',
      THREESIX_DATA_DIR: dataDir,
      THREESIX_LOG_LEVEL: 'info',
      ...exchangeLogEnv(),
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  // Ready is logged after the env file is written (a restart rewrites the same content).
  await eventually(
    () => {
      if (child.exitCode !== null) throw new Error(`sandbox exited ${child.exitCode}: ${stderr}`);
      if (!stderr.includes('sandbox ready')) throw new Error('not ready yet');
    },
    15_000,
    50,
  );
  const text = readFileSync(envFile, 'utf8');
  return {
    child,
    env: parseEnvFile(text),
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      child.kill(signal);
      return exited(child);
    },
  };
}
