/**
 * @module sandbox/kubernetes/kube-app
 * The Kubernetes API routes threesix's adapter calls, answering with real object shapes and
 * `Status` errors: namespaces, server-side apply / merge patch / get / list / delete of Deployments,
 * Services, Ingresses, Secrets, PUT (replace, with resourceVersion preconditions); ReplicaSets the
 * controller keeps; pods and their logs (followed, too); events; SelfSubjectAccessReview; pod metrics.
 */
import { Hono, type Context } from 'hono';
import { KubeStatusError, badRequest, notFoundStatus, successStatus } from './kube-status.js';
import type { KubeController } from './kube-controller.js';
import { RESOURCES, resourceFor } from './kube-resources.js';
import { type KubeStore, type Resource } from './kube-store.js';
import { isRecord, type Json, type KubeObject } from './kube-objects.js';
import { podLog } from './pod-log.js';
import { followPodLog } from './pod-log-follow.js';
import { podMetricsList, podMetricsOf } from './kube-metrics.js';
import { allows, authorize, type StandInRbac } from './kube-rbac.js';
import { withCreateDefaults } from './kube-volume-binder.js';

const OBJECT_PATH =
  /^(\/api\/v1|\/apis\/[^/]+\/v1)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+)(?:\/(log|status|scale))?)?$/;

export interface KubeAppOptions {
  store: KubeStore;
  controller: KubeController;
  token: string;
  /** Verbs SelfSubjectAccessReview reports as denied, e.g. "delete secrets" (test switch). */
  deniedVerbs: Set<string>;
  /** When set, the caller has only these Role rules (see kube-rbac.ts); otherwise everything is allowed. */
  rbac?: StandInRbac;
}

const fail = (c: Context, e: KubeStatusError) => c.json(e.toBody(), e.code as 400);

function parseSelector(raw: string | undefined): Record<string, string> | undefined {
  if (!raw) return undefined;
  return Object.fromEntries(
    raw
      .split(',')
      .filter(Boolean)
      .map((part) => part.split('=').map((s) => s.trim()) as [string, string]),
  );
}

export function createKubeApp(options: KubeAppOptions): Hono {
  const { store } = options;
  const app = new Hono();
  app.onError((error, c) =>
    fail(
      c,
      error instanceof KubeStatusError ? error : new KubeStatusError(500, 'InternalError', 'Internal error occurred'),
    ),
  );
  app.use('*', async (c, next) => {
    // Thrown, as authorize's Forbidden is, for onError to answer.
    if (c.req.header('authorization') !== `Bearer ${options.token}`)
      throw new KubeStatusError(401, 'Unauthorized', 'Unauthorized');
    if (options.rbac) authorize(options.rbac, c.req.method, c.req.path, c.req.query('watch') === 'true');
    await next();
  });
  app.get('/api/v1/namespaces', (c) =>
    c.json({
      kind: 'NamespaceList',
      apiVersion: 'v1',
      metadata: { resourceVersion: '1' },
      items: store.list(RESOURCES.namespaces, null),
    }),
  );
  app.get('/api/v1/namespaces/:name', (c) => c.json(store.get(RESOURCES.namespaces, '', c.req.param('name'))));
  app.post('/api/v1/namespaces', async (c) =>
    c.json(store.create(RESOURCES.namespaces, '', await jsonBody(c), c.req.query('fieldManager')), 201),
  );
  app.post('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', async (c) => {
    const body = await jsonBody(c);
    const attrs = reviewedAttributes(body);
    const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
    const granted = options.rbac
      ? allows(options.rbac, {
          verb: attrs.verb ?? '',
          group: attrs.group ?? '',
          resource: attrs.resource ?? '',
          subresource: attrs.subresource,
          namespace: attrs.namespace ?? '',
        })
      : true;
    const allowed = granted && !options.deniedVerbs.has(`${attrs.verb} ${resource}`);
    return c.json(
      {
        ...body,
        metadata: { creationTimestamp: null },
        status: { allowed, ...(allowed ? { reason: 'sandbox allows it' } : {}) },
      },
      201,
    );
  });
  // The resource metrics API metrics-server registers (kube-metrics.ts).
  app.get('/apis/metrics.k8s.io/v1beta1/namespaces/:namespace/pods', (c) =>
    c.json(podMetricsList(store, c.req.param('namespace'), parseSelector(c.req.query('labelSelector')))),
  );
  app.get('/apis/metrics.k8s.io/v1beta1/namespaces/:namespace/pods/:name', (c) =>
    c.json(podMetricsOf(store, c.req.param('namespace'), c.req.param('name'))),
  );
  app.all('*', async (c) => {
    const m = OBJECT_PATH.exec(c.req.path);
    if (!m) return fail(c, new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource'));
    const [, groupPath, namespace, plural, name, sub] = m as unknown as [
      string,
      string,
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    const resource = resourceFor(groupPath, plural);
    if (!resource)
      return fail(c, new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource'));
    const method = c.req.method;
    // Like the API server, a list in a namespace that does not exist is empty, not 404.
    if (!name && method === 'GET') {
      const items = store.list(resource, namespace, parseSelector(c.req.query('labelSelector')));
      return c.json({
        kind: `${resource.kind}List`,
        apiVersion: resource.apiVersion,
        metadata: { resourceVersion: '1' },
        items,
      });
    }
    if (!store.find(RESOURCES.namespaces, '', namespace)) throw notFoundStatus('namespaces', namespace);
    if (!name)
      return fail(
        c,
        new KubeStatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
      );
    if (sub === 'log' && resource === RESOURCES.pods && method === 'GET') {
      const pod = store.get(RESOURCES.pods, namespace, name);
      if (c.req.query('follow') === 'true') {
        return followPodLog(pod, store, options.controller, {
          tail: Number(c.req.query('tailLines') ?? 0) || undefined,
          container: c.req.query('container'),
          signal: c.req.raw.signal,
        });
      }
      const text = podLog(pod, store, options.controller, {
        tail: Number(c.req.query('tailLines') ?? 0) || undefined,
        limitBytes: Number(c.req.query('limitBytes') ?? 0) || undefined,
        previous: c.req.query('previous') === 'true',
        container: c.req.query('container'),
      });
      return c.text(text);
    }
    if (sub) return fail(c, new KubeStatusError(404, 'NotFound', 'the server could not find the requested resource'));
    if (method === 'GET') return c.json(store.get(resource, namespace, name));
    if (method === 'DELETE') return c.json(deleteObject(store, resource, namespace, name));
    if (method === 'PATCH') return patchObject(c, store, resource, namespace, name);
    if (method === 'PUT')
      return c.json(
        store.replace(resource, namespace, name, await jsonBody(c), c.req.query('fieldManager') ?? 'unknown'),
      );
    return fail(
      c,
      new KubeStatusError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'),
    );
  });
  return app;
}

/** A SelfSubjectAccessReview's `spec.resourceAttributes`, each field kept only when it is a string. */
function reviewedAttributes(body: Json) {
  const spec = isRecord(body.spec) ? body.spec : {};
  const attrs = isRecord(spec.resourceAttributes) ? spec.resourceAttributes : {};
  const text = (field: string) => {
    const value = attrs[field];
    return typeof value === 'string' ? value : undefined;
  };
  return {
    verb: text('verb'),
    group: text('group'),
    resource: text('resource'),
    subresource: text('subresource'),
    namespace: text('namespace'),
  };
}

function deleteObject(
  store: KubeStore,
  resource: Resource,
  namespace: string,
  name: string,
): KubeObject | ReturnType<typeof successStatus> {
  const object = store.delete(resource, namespace, name);
  // The core API answers with the object for these kinds and a Status for the others (a claim
  // answers with itself: the OpenAPI spec's 200 for deleteNamespacedPersistentVolumeClaim is a PersistentVolumeClaim).
  return resource === RESOURCES.services || resource === RESOURCES.pods || resource === RESOURCES.persistentvolumeclaims
    ? object
    : successStatus(resource.plural, name, resource.group);
}

async function patchObject(c: Context, store: KubeStore, resource: Resource, namespace: string, name: string) {
  const type = c.req.header('content-type') ?? '';
  const manager = c.req.query('fieldManager');
  const force = c.req.query('force') === 'true';
  const body = await jsonBody(c);
  if (type.startsWith('application/apply-patch+yaml')) {
    if (!manager)
      throw badRequest(
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      );
    const { object, created } = store.apply(resource, namespace, name, body, manager, force);
    return c.json(created ? withCreateDefaults(store, resource, object) : object, created ? 201 : 200);
  }
  if (force)
    throw badRequest(
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    );
  if (type.startsWith('application/merge-patch+json'))
    return c.json(store.mergePatch(resource, namespace, name, body, manager ?? 'unknown'));
  return c.json(
    new KubeStatusError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/apply-patch+yaml, application/merge-patch+json`,
    ).toBody(),
    415,
  );
}

async function jsonBody(c: Context): Promise<Json> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    // JSON is the YAML subset the sandbox understands; threesix's adapter always sends it.
    throw badRequest('the sandbox accepts request bodies as JSON only');
  }
  if (!isRecord(body)) throw badRequest('the request body must be a JSON object');
  return body;
}
