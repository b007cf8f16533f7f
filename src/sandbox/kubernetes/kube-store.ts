/**
 * @module sandbox/kubernetes/kube-store
 * Objects by resource, namespace and name, with server-side apply good enough for threesix's
 * objects: field ownership per manager at leaf level (arrays atomic), create-or-merge, fields a
 * manager stops applying are removed, and 409 FieldManagerConflict unless `force`.
 */
import { randomUUID } from 'node:crypto';
import { KubeStatusError, alreadyExistsStatus, badRequest, notFoundStatus } from './kube-status.js';
import { checkResourceVersion, validateName } from './kube-validation.js';

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
export interface Resource {
  plural: string;
  group: string;
  kind: string;
  apiVersion: string;
}

type Leaf = Map<string, unknown>;
/** Path separator; label and annotation keys contain dots and slashes, so neither will do. */
const SEP = '\u001f';
const IGNORED = new Set(
  [
    'apiVersion',
    'kind',
    'metadata.name',
    'metadata.namespace',
    'metadata.managedFields',
    'metadata.resourceVersion',
    'status',
  ].map((p) => p.replace('.', SEP)),
);
const display = (path: string) => `.${path.split(SEP).join('.')}`;

function flatten(value: Obj, prefix = '', out: Leaf = new Map()): Leaf {
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}${SEP}${key}` : key;
    if (IGNORED.has(path)) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length > 0) flatten(v, path, out);
    else out.set(path, v);
  }
  return out;
}

function getPath(obj: Obj, path: string): unknown {
  return path
    .split(SEP)
    .reduce<unknown>((node, key) => (node && typeof node === 'object' ? (node as Obj)[key] : undefined), obj);
}

/**
 * Removes a field an applier stopped sending, and the objects it leaves empty, so a server-side
 * apply that drops `strategy.rollingUpdate`'s fields (a switch to Recreate) leaves no empty
 * `rollingUpdate: {}` behind, which the API's Deployment validation would refuse next to Recreate
 * (pkg/apis/apps/validation/validation.go ValidateDeploymentStrategy). Field removal as in
 * sigs.k8s.io/structured-merge-diff typed/remove.go.
 */
function deletePath(obj: Obj, path: string): void {
  const keys = path.split(SEP);
  const last = keys.pop()!;
  const parents = keys.reduce<Obj[]>((chain, key) => [...chain, chain.at(-1)?.[key]], [obj]);
  const parent = parents.at(-1);
  if (!parent) return;
  delete parent[last];
  for (let i = keys.length - 1; i >= 0; i--) {
    const node = parents[i + 1];
    if (!node || typeof node !== 'object' || Array.isArray(node) || Object.keys(node).length > 0) break;
    delete parents[i]![keys[i]!];
  }
}

export function mergeInto(target: Obj, patch: Obj): Obj {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (value && typeof value === 'object' && !Array.isArray(value))
      target[key] = mergeInto(
        target[key] && typeof target[key] === 'object' && !Array.isArray(target[key]) ? target[key] : {},
        value,
      );
    else target[key] = structuredClone(value);
  }
  return target;
}

interface Stored {
  object: Obj;
  /** `manager|operation` → owned leaf paths. */
  owners: Map<string, Set<string>>;
}

export class KubeStore {
  private readonly objects = new Map<string, Stored>();
  private version = 1;
  /** Called after every write, so the controller can react without waiting for its tick. */
  onChange: (resource: Resource, object: Obj) => void = () => undefined;

  private key(resource: Resource, namespace: string, name: string) {
    return `${resource.plural}.${resource.group}/${namespace}/${name}`;
  }

  get(resource: Resource, namespace: string, name: string): Obj {
    const stored = this.objects.get(this.key(resource, namespace, name));
    if (!stored) throw notFoundStatus(resource.plural, name, resource.group);
    return stored.object;
  }

  find(resource: Resource, namespace: string, name: string): Obj | undefined {
    return this.objects.get(this.key(resource, namespace, name))?.object;
  }

  list(resource: Resource, namespace: string | null, selector?: Record<string, string>): Obj[] {
    const prefix = `${resource.plural}.${resource.group}/`;
    return [...this.objects.entries()]
      .filter(([k, s]) => k.startsWith(prefix) && (namespace === null || s.object.metadata.namespace === namespace))
      .map(([, s]) => s.object)
      .filter((o) => !selector || Object.entries(selector).every(([k, v]) => o.metadata.labels?.[k] === v))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  create(resource: Resource, namespace: string, body: Obj, manager = 'unknown'): Obj {
    const name = body.metadata?.name;
    if (!name) throw badRequest('metadata.name is required');
    validateName(resource, name);
    const key = this.key(resource, namespace, name);
    if (this.objects.has(key)) throw alreadyExistsStatus(resource.plural, name, resource.group);
    const object = this.stamp(resource, namespace, { ...structuredClone(body) }, undefined);
    this.objects.set(key, { object, owners: new Map([[`${manager}|Update`, new Set(flatten(body).keys())]]) });
    this.onChange(resource, object);
    return object;
  }

  /** Server-side apply; returns the object and whether it was created. */
  apply(
    resource: Resource,
    namespace: string,
    name: string,
    intent: Obj,
    manager: string,
    force: boolean,
  ): { object: Obj; created: boolean } {
    if (intent.metadata?.name !== name)
      throw badRequest('the name of the object (metadata.name) must match the name in the URL');
    if (intent.kind !== resource.kind || intent.apiVersion !== resource.apiVersion)
      throw badRequest(`apply body must be a ${resource.apiVersion} ${resource.kind}`);
    const key = this.key(resource, namespace, name);
    const existing = this.objects.get(key);
    const leaves = flatten(intent);
    const me = `${manager}|Apply`;
    if (!existing) {
      validateName(resource, name);
      const object = this.stamp(resource, namespace, structuredClone(intent), undefined);
      this.objects.set(key, { object, owners: new Map([[me, new Set(leaves.keys())]]) });
      this.onChange(resource, object);
      return { object, created: true };
    }
    checkResourceVersion(resource, name, existing.object.metadata.resourceVersion, intent.metadata?.resourceVersion);
    const conflicts: Array<{ owner: string; field: string }> = [];
    for (const [path, value] of leaves) {
      for (const [owner, paths] of existing.owners) {
        if (owner === me || !paths.has(path)) continue;
        if (JSON.stringify(getPath(existing.object, path)) === JSON.stringify(value)) continue;
        if (force) paths.delete(path);
        else conflicts.push({ owner: owner.split('|')[0]!, field: display(path) });
      }
    }
    if (conflicts.length) {
      const message = `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: conflict with "${conflicts[0]!.owner}" using ${resource.apiVersion}: ${conflicts.map((c) => c.field).join(', ')}`;
      throw new KubeStatusError(409, 'Conflict', message, {
        name,
        group: resource.group,
        kind: resource.plural,
        causes: conflicts.map((c) => ({
          reason: 'FieldManagerConflict',
          message: `conflict with "${c.owner}"`,
          field: c.field,
        })),
      });
    }
    const before = JSON.stringify(existing.object.spec ?? null);
    const next = structuredClone(existing.object);
    const stillOwned = new Set([...existing.owners].filter(([o]) => o !== me).flatMap(([, p]) => [...p]));
    for (const path of existing.owners.get(me) ?? [])
      if (!leaves.has(path) && !stillOwned.has(path)) deletePath(next, path);
    mergeInto(next, intent);
    existing.owners.set(me, new Set(leaves.keys()));
    existing.object = this.stamp(resource, namespace, next, before);
    this.onChange(resource, existing.object);
    return { object: existing.object, created: false };
  }

  /** RFC 7386 merge patch, recorded as an Update by `manager`. */
  mergePatch(resource: Resource, namespace: string, name: string, patch: Obj, manager: string): Obj {
    const stored = this.objects.get(this.key(resource, namespace, name));
    if (!stored) throw notFoundStatus(resource.plural, name, resource.group);
    checkResourceVersion(resource, name, stored.object.metadata.resourceVersion, patch.metadata?.resourceVersion);
    const before = JSON.stringify(stored.object.spec ?? null);
    const paths = flatten(patch);
    for (const [owner, owned] of stored.owners)
      if (!owner.startsWith(`${manager}|`)) for (const p of paths.keys()) owned.delete(p);
    const mine = stored.owners.get(`${manager}|Update`) ?? new Set();
    for (const p of paths.keys()) mine.add(p);
    stored.owners.set(`${manager}|Update`, mine);
    stored.object = this.stamp(resource, namespace, mergeInto(structuredClone(stored.object), patch), before);
    this.onChange(resource, stored.object);
    return stored.object;
  }

  /**
   * PUT: replaces the object (status kept, as the status subresource's owners write it), recorded
   * as an Update by `manager`. A resourceVersion in the body is a precondition; none means an
   * unconditional update, which these kinds allow.
   */
  replace(resource: Resource, namespace: string, name: string, body: Obj, manager: string): Obj {
    const stored = this.objects.get(this.key(resource, namespace, name));
    if (!stored) throw notFoundStatus(resource.plural, name, resource.group);
    if (body.metadata?.name !== name)
      throw badRequest('the name of the object (metadata.name) must match the name in the URL');
    checkResourceVersion(resource, name, stored.object.metadata.resourceVersion, body.metadata?.resourceVersion);
    const before = JSON.stringify(stored.object.spec ?? null);
    const next = structuredClone(body);
    next.metadata = {
      ...next.metadata,
      uid: stored.object.metadata.uid,
      creationTimestamp: stored.object.metadata.creationTimestamp,
      generation: stored.object.metadata.generation,
    };
    if (stored.object.status !== undefined) next.status = stored.object.status;
    stored.owners = new Map([[`${manager}|Update`, new Set(flatten(body).keys())]]);
    stored.object = this.stamp(resource, namespace, next, before);
    this.onChange(resource, stored.object);
    return stored.object;
  }

  /** Writes status without bumping generation (the controller's path). */
  setStatus(resource: Resource, namespace: string, name: string, status: Obj): void {
    const stored = this.objects.get(this.key(resource, namespace, name));
    if (!stored) return;
    stored.object = {
      ...stored.object,
      status,
      metadata: { ...stored.object.metadata, resourceVersion: String(++this.version) },
    };
  }

  delete(resource: Resource, namespace: string, name: string): Obj {
    const key = this.key(resource, namespace, name);
    const stored = this.objects.get(key);
    if (!stored) throw notFoundStatus(resource.plural, name, resource.group);
    this.objects.delete(key);
    this.onChange(resource, stored.object);
    return stored.object;
  }

  private stamp(resource: Resource, namespace: string, object: Obj, specBefore: string | undefined): Obj {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const meta = (object.metadata ??= {});
    if (resource.plural !== 'namespaces') meta.namespace = namespace;
    meta.uid ??= randomUUID();
    meta.creationTimestamp ??= now;
    meta.resourceVersion = String(++this.version);
    if (resource.kind === 'Deployment' || resource.kind === 'ReplicaSet') {
      const changed = specBefore === undefined || specBefore !== JSON.stringify(object.spec ?? null);
      meta.generation = (meta.generation ?? 0) + (changed ? 1 : 0);
    }
    meta.managedFields = [
      {
        manager: 'threesix-sandbox',
        operation: 'Update',
        apiVersion: resource.apiVersion,
        time: now,
        fieldsType: 'FieldsV1',
        fieldsV1: {},
      },
    ];
    object.apiVersion = resource.apiVersion;
    object.kind = resource.kind;
    return object;
  }
}
