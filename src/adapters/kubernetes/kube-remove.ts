/**
 * @module adapters/kubernetes/kube-remove
 * Undeploy: deletes what carries our labels for the project (found by label selector, so objects
 * of the same name made by someone else are never touched), plus cert-manager's TLS secret, which
 * has no labels of ours but names our certificate. 404s count as done.
 */
import type { AppsV1Api, CoreV1Api, NetworkingV1Api } from '@kubernetes/client-node';
import { kube, kubeOptional } from './kube-errors.js';
import { isOurs, selectorOf, tlsSecretName, type ManifestSettings } from './manifests.js';

type Named = { metadata?: { name?: string } };

export async function removeWorkload(
  api: { core: CoreV1Api; apps: AppsV1Api; net: NetworkingV1Api },
  namespace: string,
  project: string,
  settings: ManifestSettings,
): Promise<{ removed: string[] }> {
  const labelSelector = selectorOf(project);
  const removed: string[] = [];
  const sweep = async (
    kind: string,
    list: () => Promise<{ items: Named[] }>,
    del: (name: string) => Promise<unknown>,
  ) => {
    for (const item of (await kube(`listing ${kind}s`, list)).items) {
      const name = item.metadata?.name;
      if (!name) continue;
      await kubeOptional(`deleting ${kind} ${name}`, () => del(name));
      removed.push(`${kind}/${name}`);
    }
  };
  await sweep(
    'Ingress',
    () => api.net.listNamespacedIngress({ namespace, labelSelector }),
    (name) => api.net.deleteNamespacedIngress({ name, namespace }),
  );
  await sweep(
    'Service',
    () => api.core.listNamespacedService({ namespace, labelSelector }),
    (name) => api.core.deleteNamespacedService({ name, namespace }),
  );
  await sweep(
    'Deployment',
    () => api.apps.listNamespacedDeployment({ namespace, labelSelector }),
    (name) => api.apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Background' }),
  );
  await sweep(
    'Secret',
    () => api.core.listNamespacedSecret({ namespace, labelSelector }),
    (name) => api.core.deleteNamespacedSecret({ name, namespace }),
  );
  // A shared wildcard secret (DEPLOY_TLS_SECRET) is the operator's and is never removed.
  if (!settings.tlsSecret) {
    const name = tlsSecretName(project, settings);
    const tls = await kubeOptional('reading the TLS secret', () => api.core.readNamespacedSecret({ name, namespace }));
    if (tls && (tls.metadata?.annotations?.['cert-manager.io/certificate-name'] === name || isOurs(tls, project))) {
      await kubeOptional(`deleting Secret ${name}`, () => api.core.deleteNamespacedSecret({ name, namespace }));
      removed.push(`Secret/${name}`);
    }
  }
  return { removed };
}
