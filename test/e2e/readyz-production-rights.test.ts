/**
 * The kubelet's readiness probe against `serve` configured the way the manifests run it: Gitea
 * with a token holding only the documented scopes, the cluster through a ServiceAccount holding
 * only the manifests' Role. The stand-ins enforce both, as Gitea and the API server do; the plain
 * sandbox allows everything and so cannot show a probe that needs more. A failing /readyz keeps
 * the pod out of the Service, so /mcp and the CI webhook would be unreachable through the Ingress;
 * it gates on the database only, and the backends' probes (`?verbose`) must pass with these rights.
 */
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvSchema } from '../../src/config.js';
import type { PolicyRule } from '../../src/sandbox/kubernetes/kube-rbac.js';
import { RESOURCES } from '../../src/sandbox/kubernetes/kube-resources.js';
import { startValidatedGitea, type ValidatedGitea } from '../support/gitea-stand-in.js';
import { startCheckedKubernetes, type CheckedKubernetes } from '../support/kubernetes.js';
import { startHttp, type HttpServer } from '../support/mcp-clients.js';
import { tempDir } from '../support/test-app.js';

const role = parseAllDocuments(readFileSync('deployments/k8s/base/threesix-rbac.yaml', 'utf8'))
  .map((d) => d.toJSON() as { kind: string; metadata: { namespace: string }; rules?: PolicyRule[] })
  .find((d) => d.kind === 'Role')!;
const scopes = /scopes ([^)]+)\)/.exec(EnvSchema.shape.GITEA_TOKEN.description ?? '')![1]!.split(/,\s*/);

function probe(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // The kubelet sends the pod IP and container port as Host, and no token.
    const req = request(
      new URL(path, url),
      { headers: { host: '10.42.0.7:3636', 'user-agent': 'kube-probe/1.31' } },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('readiness with production rights (restricted Gitea token and Kubernetes Role)', () => {
  let stand: ValidatedGitea;
  let cluster: CheckedKubernetes;
  let server: HttpServer;
  beforeAll(async () => {
    stand = await startValidatedGitea({ scopes });
    const gitea = stand.gitea;
    cluster = await startCheckedKubernetes({
      dataDir: tempDir(),
      rbac: { namespace: role.metadata.namespace, rules: role.rules! },
    });
    cluster.store.create(
      RESOURCES.namespaces,
      '',
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: role.metadata.namespace } },
      'kubectl',
    );
    server = await startHttp({
      THREESIX_HTTP_TOKEN: 'prod-token-0123456789abcdef',
      GITEA_URL: gitea.url,
      GITEA_TOKEN: gitea.token,
      GITEA_DEFAULT_ORG: gitea.org,
      KUBECONFIG: cluster.kubeconfig,
      DEPLOY_NAMESPACE: role.metadata.namespace,
    });
  });
  afterAll(async () => {
    await server?.close();
    await cluster?.stop();
    await stand?.stop();
    expect([...(stand?.takeViolations() ?? []), ...(cluster?.spec.takeViolations() ?? [])]).toEqual([]);
  });

  it('answers /healthz and /readyz 200 to the kubelet', async () => {
    expect((await probe(server.url, '/healthz')).status).toBe(200);
    const ready = await probe(server.url, '/readyz');
    expect(JSON.parse(ready.body)).toEqual({ status: 'ready', checks: { database: { ok: true } } });
    expect(ready.status).toBe(200);
    // The backends' probes, with the production rights, pass too (shown with ?verbose).
    const verbose = await probe(server.url, '/readyz?verbose');
    expect(JSON.parse(verbose.body)).toEqual({
      status: 'ready',
      checks: { database: { ok: true }, git: { ok: true }, deployer: { ok: true } },
      failing: [],
    });
  });
});
