/**
 * Crash tests with real processes: the stand-ins run in the test process (so they outlive the
 * server), the server is the built CLI in a child process pointed at them, and the SQLite journal
 * is read directly to kill the child with SIGKILL exactly while a chosen step is `running`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createJsonLogger } from '../../src/adapters/log/json-logger.js';
import { loadConfig, type BackendName } from '../../src/config.js';
import { standIns } from '../../src/sandbox/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';
import { assertBuilt, CLI } from './mcp-clients.js';
import { tempDir } from './test-app.js';

export interface CrashRig {
  dataDir: string;
  env: Record<string, string>;
  simulated: BackendName[];
  sandbox: Sandbox;
  stop(): Promise<void>;
}

export async function startCrashRig(latencyMs: number, extraEnv: Record<string, string> = {}): Promise<CrashRig> {
  assertBuilt();
  const dataDir = tempDir('threesix-crash-');
  const base = { THREESIX_DATA_DIR: dataDir, DEFAULT_DOMAIN: 'example.test', THREESIX_SANDBOX_LATENCY_MS: String(latencyMs), ...extraEnv };
  const config = loadConfig(base);
  const sandbox = await startSandbox(config, standIns, createJsonLogger({ level: 'error', write: () => undefined }));
  if (sandbox.env.KUBECONFIG) await createNamespace(sandbox.env.KUBECONFIG, config.DEPLOY_NAMESPACE);
  return { dataDir, env: { ...base, ...sandbox.env }, simulated: sandbox.simulated, sandbox, stop: () => sandbox.stop() };
}

/**
 * A real installation has the projects namespace (deployments/k8s creates it); the stand-in starts
 * with only `default`, and lists in a missing namespace answer 404 there, so make it exist.
 */
async function createNamespace(kubeconfigFile: string, name: string): Promise<void> {
  const kubeconfig = JSON.parse(readFileSync(kubeconfigFile, 'utf8')) as { clusters: Array<{ cluster: { server: string } }>; users: Array<{ user: { token: string } }> };
  const response = await fetch(`${kubeconfig.clusters[0]!.cluster.server}/api/v1/namespaces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${kubeconfig.users[0]!.user.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }),
  });
  if (!response.ok && response.status !== 409) throw new Error(`creating namespace ${name}: HTTP ${response.status}`);
}

export interface ServerProcess {
  url: URL;
  child: ChildProcess;
  stderr(): string;
  kill(): Promise<void>;
}

/** Starts `serve` on an ephemeral port (no --sandbox: the rig's stand-ins are configured through env). */
export async function startServer(rig: CrashRig): Promise<ServerProcess> {
  const child = spawn(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '', THREESIX_LOG_LEVEL: 'info', ...rig.env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${stderr}`)), 15_000);
    child.stderr!.on('data', chunk => {
      stderr += String(chunk);
      const line = stderr.split('\n').find(l => l.includes('"http server listening"'));
      if (line) {
        clearTimeout(timer);
        resolve(new URL(`${JSON.parse(line).url}/mcp`));
      }
    });
    child.once('exit', code => reject(new Error(`server exited with ${code}:\n${stderr}`)));
  });
  return {
    url,
    child,
    stderr: () => stderr,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Reads the journal the way the server wrote it (WAL, so reads never block the writer). */
export class JournalWatch {
  private db: BetterSqlite3.Database | undefined;
  constructor(private readonly file: string) {}

  private open(): BetterSqlite3.Database | undefined {
    if (!this.db && existsSync(this.file)) this.db = new BetterSqlite3(this.file, { readonly: true, fileMustExist: true });
    return this.db;
  }

  latest(kind: string, target: string): { id: string; status: string; steps: Record<string, string> } | undefined {
    try {
      const db = this.open();
      const op = db?.prepare('select id, status from operations where kind = ? and target = ? order by created_at desc limit 1').get(kind, target) as { id: string; status: string } | undefined;
      if (!op) return undefined;
      const steps = db!.prepare('select name, status from operation_steps where operation_id = ?').all(op.id) as Array<{ name: string; status: string }>;
      return { ...op, steps: Object.fromEntries(steps.map(s => [s.name, s.status])) };
    } catch {
      return undefined; // the schema is not there yet (the server migrates lazily)
    }
  }

  async until<T>(probe: () => T | undefined | false, ms: number, what: string): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise(resolve => setTimeout(resolve, 5));
    }
  }

  close(): void {
    this.db?.close();
  }
}

export const journalFile = (rig: CrashRig) => join(rig.dataDir, 'threesix.db');
