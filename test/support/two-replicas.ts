/**
 * Several `serve` replicas as an operator would run them for issue 17: one `threesix-mcp sandbox`
 * (the built CLI, its variables from its env file), one throwaway PostgreSQL, and N `serve`
 * processes (the built CLI) on their own fixed loopback ports, sharing THREESIX_DATABASE_URL and
 * the sandbox, behind a failover proxy (test/support/failover-proxy.ts) that is their one public
 * URL: CI's notify step reaches the replicas through it in turn, and an MCP client keeps its URL
 * when the replica holding its session dies. A replica can be SIGKILLed and respawned on its port.
 * The replicas reach the DNS and Kubernetes stand-ins through gates (the same proxy, one upstream),
 * so a test can hold one backend call and kill a replica while it is in flight.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { RUNNING_DEPLOY_LOCKS } from '../../src/adapters/postgres/postgres-deploy-queue.js';
import { freePort } from '../../src/main/webhook-listener.js';
import { startFailoverProxy, type FailoverProxy } from './failover-proxy.js';
import { startTestPostgres, type TestPostgres } from './postgres.js';
import { assertBuilt } from './mcp-clients.js';
import { CLI, exited, startSandboxCli, type SandboxChild } from './sandbox-cli.js';
import { tempDir } from './test-app.js';

/** Signs deliveries the test posts itself (X-Threesix-Signature), for any project. */
export const WEBHOOK_SECRET = 'two-replicas-webhook-secret-0123456789';

export interface Replica {
  port: number;
  url: string;
  child: ChildProcess;
  stderr(): string;
}

export interface TwoReplicas {
  postgres: TestPostgres;
  databaseUrl: string;
  sandbox: SandboxChild;
  proxy: FailoverProxy;
  /** Between the replicas and the Cloudflare stand-in, and the Kubernetes stand-in. */
  gates: { dns: FailoverProxy; kube: FailoverProxy };
  replicas: Replica[];
  /** A read-only look at the shared database. */
  db: pg.Client;
  /** Starts replica i again on its port (after kill). */
  respawn(i: number): Promise<Replica>;
  kill(i: number): Promise<void>;
  /** Posts a signed delivery straight to replica i; returns the status and the answer's reason. */
  deliver(i: number, body: string, idempotencyKey: string): Promise<{ status: number; reason?: string }>;
  stop(): Promise<void>;
}

async function startReplica(port: number, env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, [CLI, 'serve', '--host', '127.0.0.1', '--port', String(port)], {
    env: { PATH: process.env.PATH ?? '', THREESIX_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += String(chunk)));
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`replica on ${port} did not start:\n${stderr}`)), 20_000);
    const check = () => {
      if (!stderr.includes('"http server listening"')) return;
      clearTimeout(timer);
      child.stderr.off('data', check);
      ready();
    };
    child.stderr.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`replica on ${port} exited with ${code}:\n${stderr}`));
    });
  });
  return { port, url: `http://127.0.0.1:${port}`, child, stderr: () => stderr };
}

export async function startTwoReplicas(
  options: { count?: number; latencyMs?: number; env?: Record<string, string> } = {},
): Promise<TwoReplicas> {
  assertBuilt();
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const step of stops.reverse()) await step().catch(() => undefined);
  };
  try {
    const postgres = await startTestPostgres();
    stops.push(() => postgres.stop());
    const databaseUrl = await postgres.freshDatabase();
    // Latency on every stand-in call widens the windows the test kills a replica in.
    const sandbox = await startSandboxCli(join(tempDir('threesix-replicas-'), 'data'), undefined, {
      THREESIX_SANDBOX_LATENCY_MS: String(options.latencyMs ?? 0),
    });
    stops.push(() => sandbox.stop());
    const replicas: Replica[] = [];
    const proxy = await startFailoverProxy(() => replicas.map((r) => r.url));
    stops.push(() => proxy.close());
    const gates = await startGates(sandbox.env, stops);
    const env = (i: number) => ({
      ...sandbox.env,
      ...gates.env,
      THREESIX_DATA_DIR: tempDir(`threesix-replica-${i}-`),
      THREESIX_DATABASE_URL: databaseUrl,
      THREESIX_PUBLIC_URL: proxy.url,
      WOODPECKER_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ...options.env,
    });
    const ports: number[] = [];
    for (let i = 0; i < (options.count ?? 2); i++) ports.push(await freePort('127.0.0.1'));
    // One at a time: the first runs the migrations (under kysely's lock either way).
    for (const [i, port] of ports.entries()) replicas.push(await startReplica(port, env(i)));
    const kill = async (i: number) => {
      const { child } = replicas[i]!;
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited(child);
    };
    stops.push(async () => {
      for (const i of replicas.keys()) await kill(i);
    });
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    stops.push(() => db.end());
    return {
      postgres,
      databaseUrl,
      sandbox,
      proxy,
      gates: gates.proxies,
      replicas,
      db,
      kill,
      respawn: async (i) => (replicas[i] = await startReplica(ports[i]!, env(i))),
      async deliver(i, body, idempotencyKey) {
        const signature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(body).digest('hex')}`;
        const response = await fetch(`${replicas[i]!.url}/webhooks/woodpecker`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-threesix-signature': signature,
            'idempotency-key': idempotencyKey,
          },
          body,
        });
        const answer = (await response.json().catch(() => ({}))) as { reason?: string; status?: string };
        return { status: response.status, reason: answer.reason ?? answer.status };
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A gate before the Cloudflare API and one before the Kubernetes API, and the variables pointing replicas at them. */
async function startGates(sandboxEnv: Record<string, string>, stops: Array<() => Promise<unknown>>) {
  const cloudflare = new URL(sandboxEnv.CLOUDFLARE_API_URL!);
  const dns = await startFailoverProxy(() => [cloudflare.origin]);
  stops.push(() => dns.close());
  const kubeconfig = JSON.parse(readFileSync(sandboxEnv.KUBECONFIG!, 'utf8')) as {
    clusters: Array<{ cluster: { server: string } }>;
  };
  const server = kubeconfig.clusters[0]!.cluster.server;
  const kube = await startFailoverProxy(() => [server]);
  stops.push(() => kube.close());
  kubeconfig.clusters[0]!.cluster.server = kube.url;
  const file = join(tempDir('threesix-replicas-kube-'), 'kubeconfig');
  writeFileSync(file, JSON.stringify(kubeconfig));
  return {
    proxies: { dns, kube },
    env: { CLOUDFLARE_API_URL: `${dns.url}${cloudflare.pathname.replace(/\/$/, '')}`, KUBECONFIG: file },
  };
}

/** Rows of the shared database the scenario judges by. */
export const look = {
  async projects(db: pg.Client): Promise<Array<{ name: string; state: string }>> {
    return (await db.query<{ name: string; state: string }>('select name, state from projects order by name')).rows;
  },
  /** Releases per (project, commit): exactly-once deploys mean every count is 1. */
  async releasesPerCommit(
    db: pg.Client,
  ): Promise<Array<{ project: string; sha: string; count: number; statuses: string }>> {
    const { rows } = await db.query<{ project: string; sha: string; count: string; statuses: string }>(
      `select project, commit_sha as sha, count(*) as count, string_agg(status, ',' order by id) as statuses
       from releases where commit_sha is not null group by project, commit_sha order by project, commit_sha`,
    );
    return rows.map((r) => ({ ...r, count: Number(r.count) }));
  },
  async operation(
    db: pg.Client,
    kind: string,
    target: string,
  ): Promise<{ id: string; status: string; lease: string | null; steps: Record<string, string> } | undefined> {
    const op = (
      await db.query<{ id: string; status: string; lease_owner: string | null }>(
        'select id, status, lease_owner from operations where kind = $1 and target = $2 order by created_at desc limit 1',
        [kind, target],
      )
    ).rows[0];
    if (!op) return undefined;
    const steps = (
      await db.query<{ name: string; status: string }>(
        'select name, status from operation_steps where operation_id = $1',
        [op.id],
      )
    ).rows;
    return {
      id: op.id,
      status: op.status,
      lease: op.lease_owner,
      steps: Object.fromEntries(steps.map((s) => [s.name, s.status])),
    };
  },
  /** The PostgreSQL backend holding a running deploy's advisory lock (its replica's holder connection). */
  async deployHolder(db: pg.Client, id: number): Promise<number | undefined> {
    const { rows } = await db.query<{ pid: number }>(
      `select pid from pg_locks where locktype = 'advisory' and granted and classid::bigint = $1 and objid::bigint = $2`,
      [RUNNING_DEPLOY_LOCKS, id],
    );
    return rows[0]?.pid;
  },
  async backendAlive(db: pg.Client, pid: number): Promise<boolean> {
    return (await db.query('select 1 from pg_stat_activity where pid = $1', [pid])).rows.length > 0;
  },
  /** Deploys queued or running on any replica. */
  async deploysInFlight(db: pg.Client): Promise<number> {
    const { rows } = await db.query<{ n: string }>(
      "select count(*) as n from deploy_queue where status in ('queued', 'running')",
    );
    return Number(rows[0]!.n);
  },
  async queue(db: pg.Client, project: string): Promise<Array<{ id: number; sha: string; status: string }>> {
    return (
      await db.query<{ id: number; sha: string; status: string }>(
        'select id, sha, status from deploy_queue where project = $1 order by id',
        [project],
      )
    ).rows;
  },
};
