/**
 * @module sandbox/kubernetes/kubernetes-stand-in
 * Starts the Kubernetes API stand-in and writes a kubeconfig pointing at it. Tests use
 * `startKubernetesStandIn` directly for the crash-loop and RBAC switches.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExchangeObserver } from '../exchange.js';
import { serveStandIn } from '../serve-stand-in.js';
import type { StandIn } from '../stand-in.js';
import { createKubeApp } from './kube-app.js';
import { KubeController } from './kube-controller.js';
import type { StandInRbac } from './kube-rbac.js';
import { RESOURCES } from './kube-resources.js';
import { KubeStore } from './kube-store.js';
import { isRecord } from './kube-objects.js';
import { SandboxCnpgOperator } from './cnpg-operator.js';
import { SandboxVolumeBinder } from './kube-volume-binder.js';
import type { PostgresBinaries } from './sandbox-postgres.js';

export interface KubernetesStandInOptions {
  dataDir: string;
  registryUrl?: string;
  observer?: ExchangeObserver;
  startDelayMs?: number;
  tickMs?: number;
  latencyMs?: number;
  port?: number;
  /** Bearer token the kubeconfig carries; random when absent. */
  token?: string;
  /** Authorize every call against these Role rules, as a ServiceAccount in a real cluster is. */
  rbac?: StandInRbac;
  /** PostgreSQL behind CloudNativePG Clusters: found on the machine when absent; null acts as if none is installed. */
  postgres?: PostgresBinaries | null;
}

export interface RunningKubernetes {
  url: string;
  kubeconfig: string;
  store: KubeStore;
  /** The CloudNativePG operator stand-in; `realServers` says whether Clusters get a real PostgreSQL. */
  databases: SandboxCnpgOperator;
  /** Test switch: the Deployment's containers crash on start. */
  setCrashLoop(deployment: string, on: boolean): void;
  /**
   * Test switch: the controllers stop reconciling, so the API holds a Deployment's new generation
   * that its status has not observed yet (the window between an apply and the controller's sync).
   */
  holdController(on: boolean): void;
  /** Test switch: SelfSubjectAccessReview denies e.g. "delete secrets". */
  deny(verbAndResource: string): void;
  stop(): Promise<void>;
}

export async function startKubernetesStandIn(options: KubernetesStandInOptions): Promise<RunningKubernetes> {
  const store = new KubeStore();
  const controller = new KubeController(store, {
    registryUrl: options.registryUrl,
    startDelayMs: options.startDelayMs ?? 300,
    tickMs: options.tickMs ?? 100,
  });
  const token = options.token ?? randomBytes(16).toString('hex');
  const deniedVerbs = new Set<string>();
  store.create(
    RESOURCES.namespaces,
    '',
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } },
    'sandbox',
  );
  const served = await serveStandIn(createKubeApp({ store, controller, token, deniedVerbs, rbac: options.rbac }), {
    port: options.port,
    observer: options.observer,
    latencyMs: options.latencyMs,
  });
  controller.start();
  const databases = new SandboxCnpgOperator(store, {
    dataDir: options.dataDir,
    tickMs: options.tickMs ?? 100,
    binaries: options.postgres,
  });
  databases.start();
  const volumes = new SandboxVolumeBinder(store, options.tickMs ?? 100);
  volumes.start();
  const kubeconfig = join(options.dataDir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // client-node refuses plain HTTP unless TLS verification is off; the stand-in is loopback only.
      clusters: [{ name: 'sandbox', cluster: { server: served.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'sandbox', user: { token } }],
      contexts: [{ name: 'sandbox', context: { cluster: 'sandbox', user: 'sandbox', namespace: 'default' } }],
      'current-context': 'sandbox',
    }),
    { mode: 0o600 },
  );
  return {
    url: served.url,
    kubeconfig,
    store,
    databases,
    setCrashLoop: (deployment, on) =>
      void (on ? controller.crashing.add(deployment) : controller.crashing.delete(deployment)),
    holdController: (on) => void (controller.held = on),
    deny: (verb) => void deniedVerbs.add(verb),
    stop: async () => {
      controller.stop();
      volumes.stop();
      await databases.stop();
      await served.close();
    },
  };
}

export const kubernetesStandIn: StandIn = {
  backend: 'deployer',
  title: 'Kubernetes',
  async start(ctx) {
    const registryUrl = ctx.started.get('registry')?.env.REGISTRY_URL ?? ctx.config.REGISTRY_URL;
    const running = await startKubernetesStandIn({
      dataDir: ctx.dataDir,
      latencyMs: ctx.latencyMs,
      port: ctx.port,
      // The token of the kubeconfig written last time, so processes that loaded it keep working across a restart.
      token: ctx.previous?.KUBECONFIG ? kubeconfigToken(ctx.previous.KUBECONFIG) : undefined,
      registryUrl: registryUrl && !/^https?:/.test(registryUrl) ? `https://${registryUrl}` : registryUrl,
    });
    return { env: { KUBECONFIG: running.kubeconfig }, endpoint: running.url, stop: () => running.stop() };
  },
};

function kubeconfigToken(file: string): string | undefined {
  try {
    const config: unknown = JSON.parse(readFileSync(file, 'utf8'));
    const first: unknown = isRecord(config) && Array.isArray(config.users) ? config.users[0] : undefined;
    const token = isRecord(first) && isRecord(first.user) ? first.user.token : undefined;
    return typeof token === 'string' && /^[0-9a-f]{32}$/.test(token) ? token : undefined;
  } catch {
    return undefined;
  }
}
