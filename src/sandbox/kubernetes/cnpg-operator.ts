/**
 * @module sandbox/kubernetes/cnpg-operator
 * The CloudNativePG operator, as far as threesix sees it: for each `postgresql.cnpg.io/v1`
 * Cluster it reports the phases of cloudnative-pg api/v1/cluster_types.go (PhaseFirstPrimary
 * "Setting up primary" while the primary is made, PhaseHealthy "Cluster in healthy state" after),
 * with instances, readyInstances, currentPrimary `<cluster>-1`, image and a Ready condition, and
 * writes the app user's Secret `<cluster>-app` as pkg/specs/secrets.go CreateSecret does
 * (type kubernetes.io/basic-auth; keys username, user, password, dbname, host, port, pgpass, uri,
 * jdbc-uri, fqdn-uri, fqdn-jdbc-uri; labels cnpg.io/reload, cnpg.io/userType=app; owned by the
 * Cluster, so deleting the Cluster deletes it).
 *
 * Each Cluster is backed by a real PostgreSQL (sandbox-postgres.ts) when the binaries are
 * installed. One deliberate difference: the Secret's host is 127.0.0.1 and its port the loopback
 * port of that server, not the `<cluster>-rw` Service on 5432, since the sandbox has no cluster DNS
 * and the agent (or test) connecting sits on this machine. Without the binaries the Cluster still
 * becomes healthy and phaseReason says that no real server stands behind it.
 */
import { RESOURCES } from './kube-resources.js';
import type { KubeStore } from './kube-store.js';
import type { Cluster } from './kube-objects.js';
import { findPostgres, startPostgres, type PostgresBinaries, type PostgresInstance } from './sandbox-postgres.js';

export const PHASE_FIRST_PRIMARY = 'Setting up primary';
export const PHASE_HEALTHY = 'Cluster in healthy state';
export const NO_SERVER_REASON =
  'sandbox: PostgreSQL binaries are not installed, so no real server stands behind this Cluster';

interface Instance {
  uid: string;
  state: 'starting' | 'running' | 'failed';
  server?: PostgresInstance;
  error?: string;
}

export interface CnpgOperatorOptions {
  dataDir: string;
  tickMs: number;
  /** Test switch: act as if no PostgreSQL is installed. */
  binaries?: PostgresBinaries | null;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const key = (c: Cluster) => `${c.metadata.namespace}/${c.metadata.name}`;

export class SandboxCnpgOperator {
  private readonly instances = new Map<string, Instance>();
  private readonly binaries: PostgresBinaries | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Servers still being made (initdb takes a second or two); stop() waits for them. */
  private readonly booting = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly store: KubeStore,
    private readonly options: CnpgOperatorOptions,
  ) {
    this.binaries = options.binaries === null ? undefined : (options.binaries ?? findPostgres());
  }

  /** Whether Clusters get a real server. */
  get realServers(): boolean {
    return this.binaries !== undefined;
  }

  start(): void {
    this.timer = setInterval(() => this.reconcileAll(), this.options.tickMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopped = true;
    await Promise.allSettled([...this.booting]);
    const all = [...this.instances.values()];
    this.instances.clear();
    await Promise.all(all.flatMap((i) => i.server?.stop() ?? []));
  }

  reconcileAll(): void {
    const clusters = this.store.list(RESOURCES.clusters, null);
    const present = new Set(clusters.map((c) => `${key(c)}@${c.metadata.uid}`));
    for (const [k, instance] of this.instances) {
      if (present.has(`${k}@${instance.uid}`)) continue;
      // Gone: the operator's pods and volumes go, and the garbage collector takes the owned Secret.
      this.instances.delete(k);
      void instance.server?.stop();
      const [namespace, name] = k.split('/') as [string, string];
      const secret = this.store.find(RESOURCES.secrets, namespace, `${name}-app`);
      if (secret?.metadata.ownerReferences?.some((o) => o.uid === instance.uid))
        this.store.delete(RESOURCES.secrets, namespace, `${name}-app`);
    }
    for (const cluster of clusters) this.reconcile(cluster);
  }

  private reconcile(cluster: Cluster): void {
    const k = key(cluster);
    let instance = this.instances.get(k);
    if (!instance || instance.uid !== cluster.metadata.uid) {
      instance = { uid: cluster.metadata.uid, state: 'starting' };
      this.instances.set(k, instance);
      this.boot(cluster, instance);
    }
    this.writeStatus(cluster, instance);
  }

  private boot(cluster: Cluster, instance: Instance): void {
    if (!this.binaries) {
      instance.state = 'running';
      return;
    }
    const booting: Promise<void> = startPostgres(
      this.binaries,
      this.options.dataDir,
      `${cluster.metadata.namespace}-${cluster.metadata.name}`,
    )
      .then(
        async (server) => {
          // Deleted, or the stand-in stopped, while it was being made.
          if (this.stopped || this.instances.get(key(cluster)) !== instance) return server.stop();
          instance.server = server;
          instance.state = 'running';
          this.reconcileAll();
        },
        (error: Error) => {
          instance.state = 'failed';
          instance.error = error.message;
        },
      )
      .finally(() => this.booting.delete(booting));
    this.booting.add(booting);
  }

  private writeStatus(cluster: Cluster, instance: Instance): void {
    const { name, namespace: ns } = cluster.metadata;
    const instances = cluster.spec?.instances ?? 1;
    const ready = instance.state === 'running';
    if (ready) this.writeSecret(cluster, instance);
    const image = cluster.spec?.imageName ?? `ghcr.io/cloudnative-pg/postgresql:${this.binaries?.major || 17}`;
    const reason =
      instance.state === 'failed'
        ? `sandbox: PostgreSQL did not start: ${instance.error}`
        : !this.binaries
          ? NO_SERVER_REASON
          : null;
    const status = {
      instances,
      readyInstances: ready ? instances : 0,
      phase: ready ? PHASE_HEALTHY : PHASE_FIRST_PRIMARY,
      ...(reason ? { phaseReason: reason } : {}),
      currentPrimary: `${name}-1`,
      targetPrimary: `${name}-1`,
      latestGeneratedNode: 1,
      image,
      writeService: `${name}-rw`,
      readService: `${name}-r`,
      conditions: [
        {
          type: 'Ready',
          status: ready ? 'True' : 'False',
          reason: ready ? 'ClusterIsReady' : 'ClusterIsNotReady',
          message: ready ? 'Cluster is Ready' : 'Cluster Is Not Ready',
          lastTransitionTime: now(),
        },
      ],
    };
    const before = this.store.find(RESOURCES.clusters, ns, name)?.status;
    const { conditions: a, ...restBefore } = before ?? {};
    const { conditions: b, ...restAfter } = status;
    if (JSON.stringify(restBefore) === JSON.stringify(restAfter) && a?.[0]?.status === b[0]!.status) return;
    this.store.setStatus(RESOURCES.clusters, ns, name, status);
  }

  private writeSecret(cluster: Cluster, instance: Instance): void {
    const name = `${cluster.metadata.name}-app`;
    const ns = cluster.metadata.namespace;
    if (this.store.find(RESOURCES.secrets, ns, name)) return;
    const user = instance.server?.user ?? 'app';
    const password = instance.server?.password ?? 'sandbox-no-server';
    const dbname = instance.server?.database ?? 'app';
    const host = '127.0.0.1';
    const port = String(instance.server?.port ?? 5432);
    const auth = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
    const uri = `postgresql://${auth}@${host}:${port}/${dbname}`;
    const jdbc = `jdbc:postgresql://${host}:${port}/${dbname}?password=${encodeURIComponent(password)}&user=${encodeURIComponent(user)}`;
    const stringData: Record<string, string> = {
      username: user,
      user,
      password,
      dbname,
      host,
      port,
      pgpass: `${host}:${port}:${dbname}:${user}:${password}\n`,
      uri,
      'jdbc-uri': jdbc,
      'fqdn-uri': uri,
      'fqdn-jdbc-uri': jdbc,
    };
    this.store.create(
      RESOURCES.secrets,
      ns,
      {
        apiVersion: 'v1',
        kind: 'Secret',
        type: 'kubernetes.io/basic-auth',
        metadata: {
          name,
          labels: {
            'cnpg.io/reload': 'true',
            'cnpg.io/userType': 'app',
            'cnpg.io/cluster': cluster.metadata.name,
            'app.kubernetes.io/managed-by': 'cloudnative-pg',
          },
          ownerReferences: [
            {
              apiVersion: 'postgresql.cnpg.io/v1',
              kind: 'Cluster',
              name: cluster.metadata.name,
              uid: cluster.metadata.uid,
              controller: true,
            },
          ],
        },
        data: Object.fromEntries(Object.entries(stringData).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      },
      'cloudnative-pg',
    );
  }
}
