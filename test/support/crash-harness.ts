/**
 * Crash tests with real processes: the stand-ins run in the test process (so they outlive the
 * server), the server is the built CLI in a child process pointed at them, and the SQLite journal
 * is read directly to kill the child with SIGKILL exactly while a chosen step is `running`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { createJsonLogger } from '../../src/adapters/log/json-logger.js';
import { openSqliteStateStore } from '../../src/adapters/sqlite/sqlite-state-store.js';
import { loadConfig, type BackendName } from '../../src/config.js';
import { composeApp } from '../../src/main/compose.js';
import { standIns } from '../../src/sandbox/index.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/start-sandbox.js';
import { reconcile, type ReconcileOutcome } from '../../src/services/reconcile/reconcile.service.js';
import { exchangeLogEnv } from './exchange-log.js';
import { assertBuilt, CLI } from './mcp-clients.js';
import { newSshPublicKey } from './ssh-key.js';
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
  const base = {
    ...exchangeLogEnv(),
    THREESIX_DATA_DIR: dataDir,
    DEFAULT_DOMAIN: 'example.test',
    THREESIX_SANDBOX_LATENCY_MS: String(latencyMs),
    ...extraEnv,
  };
  const config = loadConfig(base);
  const sandbox = await startSandbox(config, standIns, createJsonLogger({ level: 'error', write: () => undefined }));
  if (sandbox.env.KUBECONFIG) await createNamespace(sandbox.env.KUBECONFIG, config.DEPLOY_NAMESPACE);
  return {
    dataDir,
    env: { ...base, ...sandbox.env },
    simulated: sandbox.simulated,
    sandbox,
    stop: () => sandbox.stop(),
  };
}

/**
 * A real installation has the projects namespace (deployments/k8s creates it); the stand-in starts
 * with only `default`, and lists in a missing namespace answer 404 there, so make it exist.
 */
async function createNamespace(kubeconfigFile: string, name: string): Promise<void> {
  const kubeconfig = JSON.parse(readFileSync(kubeconfigFile, 'utf8')) as {
    clusters: Array<{ cluster: { server: string } }>;
    users: Array<{ user: { token: string } }>;
  };
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
    child.stderr.on('data', (chunk) => {
      stderr += String(chunk);
      const line = stderr.split('\n').find((l) => l.includes('"http server listening"'));
      if (line) {
        clearTimeout(timer);
        resolve(new URL(`${(JSON.parse(line) as { url: string }).url}/mcp`));
      }
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}:\n${stderr}`)));
  });
  return {
    url,
    child,
    stderr: () => stderr,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface StdioProcess {
  client: Client;
  /** SIGKILLs the stdio server and waits for its pipe to close. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a `stdio` server on the rig (an agent session's process) and connects to it. */
export async function startStdio(rig: CrashRig): Promise<StdioProcess> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'stdio'],
    env: { PATH: process.env.PATH ?? '', THREESIX_LOG_LEVEL: 'info', ...rig.env },
    stderr: 'pipe',
  });
  transport.stderr?.on('data', () => undefined);
  const client = new Client({ name: 'threesix-crash', version: '1.0.0' });
  const closed = new Promise<void>((resolve) => (client.onclose = resolve));
  await client.connect(transport);
  return {
    client,
    kill: async () => {
      process.kill(transport.pid!, 'SIGKILL');
      await closed;
    },
    close: () => client.close(),
  };
}

/** Reads the journal the way the server wrote it (WAL, so reads never block the writer). */
export class JournalWatch {
  private db: BetterSqlite3.Database | undefined;
  constructor(private readonly file: string) {}

  private open(): BetterSqlite3.Database | undefined {
    if (!this.db && existsSync(this.file))
      this.db = new BetterSqlite3(this.file, { readonly: true, fileMustExist: true });
    return this.db;
  }

  latest(kind: string, target: string): { id: string; status: string; steps: Record<string, string> } | undefined {
    try {
      const db = this.open();
      const op = db
        ?.prepare('select id, status from operations where kind = ? and target = ? order by created_at desc limit 1')
        .get(kind, target) as { id: string; status: string } | undefined;
      if (!op) return undefined;
      const steps = db!.prepare('select name, status from operation_steps where operation_id = ?').all(op.id) as Array<{
        name: string;
        status: string;
      }>;
      return { ...op, steps: Object.fromEntries(steps.map((s) => [s.name, s.status])) };
    } catch {
      return undefined; // the schema is not there yet (the server migrates lazily)
    }
  }

  /** The project row's state, or undefined when there is no row. */
  projectState(name: string): string | undefined {
    try {
      const row = this.open()?.prepare('select state from projects where name = ?').get(name) as
        | { state: string }
        | undefined;
      return row?.state;
    } catch {
      return undefined;
    }
  }

  async until<T>(probe: () => T | undefined | false, ms: number, what: string): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = probe();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close(): void {
    this.db?.close();
  }
}

export const journalFile = (rig: CrashRig) => join(rig.dataDir, 'threesix.db');

/**
 * What the Gitea stand-in (running in the test process) holds for `org/name`, read from the state
 * file it writes on every change: POST /orgs/{org}/repos saves the repository before it runs
 * `git init` and answers, so a poll sees it while the server still waits for that answer.
 */
export function giteaRepo(rig: CrashRig, name: string): { topics: string[] } | undefined {
  try {
    const state = JSON.parse(readFileSync(join(rig.dataDir, 'sandbox', 'git', 'state.json'), 'utf8')) as {
      repos: Array<{ name: string; topics: string[] }>;
    };
    return state.repos.find((r) => r.name === name);
  } catch {
    return undefined; // not written yet, or caught mid-write
  }
}

/** A rig, the server running on it and a watch on its journal; `server` changes on every restart. */
export interface CrashSession {
  rig: CrashRig;
  server: ServerProcess;
  watch: JournalWatch;
  stop(): Promise<void>;
}

/**
 * The setup every crash test shares: collaborators and a deploy key (so every create step has
 * work), and THREESIX_PUBLIC_URL pointing nowhere, so seeded pipelines fail to notify and no
 * deploy interferes.
 */
export async function startCrashSession(latencyMs: number): Promise<CrashSession> {
  const rig = await startCrashRig(latencyMs, {
    THREESIX_COLLABORATORS: 'alice:admin,bob',
    THREESIX_DEPLOY_KEY: newSshPublicKey('crash@test'),
    THREESIX_PUBLIC_URL: 'http://127.0.0.1:9',
  });
  const session: CrashSession = {
    rig,
    server: await startServer(rig),
    watch: new JournalWatch(journalFile(rig)),
    async stop() {
      session.watch.close();
      await session.server.kill();
      await rig.stop();
    },
  };
  return session;
}

export interface PlatformView {
  report: ReconcileOutcome;
  /** Every project row as [name, state]. */
  rows: Array<[string, string]>;
  /** Every repository in the organization, marked or not, by name. */
  repos: string[];
}

/**
 * With the server stopped: reconcile, run here with the real adapters against the rig's stand-ins
 * and database, every row, and every repository the git organization holds. Restarts the server.
 */
export async function inspectPlatform(session: CrashSession): Promise<PlatformView> {
  await session.server.kill();
  const app = await composeApp(
    loadConfig(session.rig.env),
    createJsonLogger({ level: 'error', write: () => undefined }),
    { store: await openSqliteStateStore(journalFile(session.rig)) },
  );
  try {
    const report = await reconcile(app, {});
    const rows = (await app.store.projects.all()).map((p) => [p.name, p.state] as [string, string]);
    const git = await app.backends.git.get();
    const repos: string[] = [];
    for (let page: number | undefined = 1; page; ) {
      const listed: { items: Array<{ name: string }>; nextPage?: number } = await git.listRepos({ page, limit: 50 });
      repos.push(...listed.items.map((r) => r.name));
      page = listed.nextPage;
    }
    return { report, rows, repos };
  } finally {
    await app.store.close();
    session.server = await startServer(session.rig);
  }
}
