/**
 * @module sandbox/kubernetes/kube-store
 * Objects by resource, namespace and name, with server-side apply good enough for threesix's
 * objects: field ownership per manager at leaf level (arrays atomic), create-or-merge, fields a
 * manager stops applying are removed, and 409 FieldManagerConflict unless `force`.
 */
import { randomUUID } from 'node:crypto';
import { KubeStatusError, alreadyExistsStatus, badRequest, notFoundStatus } from './kube-status.js';
import { checkResourceVersion, validateName } from './kube-validation.js';
import { isRecord, type Json, type KubeObject } from './kube-objects.js';
import { deletePath, display, flatten, getPath, mergeInto } from './kube-fields.js';

export interface Resource<T extends KubeObject = KubeObject> {
  plural: string;
  group: string;
  kind: string;
  apiVersion: string;
  /** Never set: it carries the type of the resource's objects, so `store.get(RESOURCES.pods, …)` is a Pod. */
  readonly objects?: T;
}

const metadataOf = (body: Json): Json => (isRecord(body.metadata) ? body.metadata : {});

interface Stored {
  object: KubeObject;
  /** `manager|operation` → owned leaf paths. */
  owners: Map<string, Set<string>>;
}

export class KubeStore {
  private readonly objects = new Map<string, Stored>();
  private version = 1;
  /** Called after every write, so the controller can react without waiting for its tick. */
  onChange: (resource: Resource, object: KubeObject) => void = () => undefined;

  private key(resource: Resource, namespace: string, name: string) {
    return `${resource.plural}.${resource.group}/${namespace}/${name}`;
  }

  /**
   * Objects are stored by resource, so one read under a resource is of its kind. The stand-in takes
   * the client's word that the body of a Deployment is a Deployment (kube-objects.ts).
   */
  private typed<T extends KubeObject>(_resource: Resource<T>, object: KubeObject): T {
    return object as T;
  }

  get<T extends KubeObject>(resource: Resource<T>, namespace: string, name: string): T {
    const stored = this.objects.get(this.key(resource, namespace, name));
    if (!stored) throw notFoundStatus(resource.plural, name, resource.group);
    return this.typed(resource, stored.object);
  }

  find<T extends KubeObject>(resource: Resource<T>, namespace: string, name: string): T | undefined {
    const stored = this.objects.get(this.key(resource, namespace, name));
    return stored && this.typed(resource, stored.object);
  }

  list<T extends KubeObject>(resource: Resource<T>, namespace: string | null, selector?: Record<string, string>): T[] {
    const prefix = `${resource.plural}.${resource.group}/`;
    return [...this.objects.entries()]
      .filter(([k, s]) => k.startsWith(prefix) && (namespace === null || s.object.metadata.namespace === namespace))
      .map(([, s]) => this.typed(resource, s.object))
      .filter((o) => !selector || Object.entries(selector).every(([k, v]) => o.metadata.labels?.[k] === v))
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  }

  create<T extends KubeObject>(resource: Resource<T>, namespace: string, body: Json, manager = 'unknown'): T {
    const name = metadataOf(body).name;
    if (typeof name !== 'string' || !name) throw badRequest('metadata.name is required');
    validateName(resource, name);
    const key = this.key(resource, namespace, name);
    if (this.objects.has(key)) throw alreadyExistsStatus(resource.plural, name, resource.group);
    const object = this.stamp(resource, namespace, { ...structuredClone(body) }, undefined);
    this.objects.set(key, { object, owners: new Map([[`${manager}|Update`, new Set(flatten(body).keys())]]) });
    this.onChange(resource, object);
    return this.typed(resource, object);
  }

  /** Server-side apply; returns the object and whether it was created. */
  apply<T extends KubeObject>(
    resource: Resource<T>,
    namespace: string,
    name: string,
    intent: Json,
    manager: string,
    force: boolean,
  ): { object: T; created: boolean } {
    const meta = metadataOf(intent);
    if (meta.name !== name) throw badRequest('the name of the object (metadata.name) must match the name in the URL');
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
      return { object: this.typed(resource, object), created: true };
    }
    checkResourceVersion(resource, name, existing.object.metadata.resourceVersion, meta.resourceVersion);
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
    return { object: this.typed(resource, existing.object), created: false };
  }

  /** RFC 7386 merge patch, recorded as an Update by `manager`. */
  mergePatch<T extends KubeObject>(
    resource: Resource<T>,
    namespace: string,
    name: string,
    patch: Json,
    manager: string,
  ): T {
    const stored = this.objects.get(this.key(resource, namespace, name));
    if (!stored) throw notFoundStatus(resource.plural, name, resource.group);
    checkResourceVersion(resource, name, stored.object.metadata.resourceVersion, metadataOf(patch).resourceVersion);
    const before = JSON.stringify(stored.object.spec ?? null);
    const paths = flatten(patch);
    for (const [owner, owned] of stored.owners)
      if (!owner.startsWith(`${manager}|`)) for (const p of paths.keys()) owned.delete(p);
    const mine = stored.owners.get(`${manager}|Update`) ?? new Set();
    for (const p of paths.keys()) mine.add(p);
    stored.owners.set(`${manager}|Update`, mine);
    stored.object = this.stamp(resource, namespace, mergeInto(structuredClone(stored.object), patch), before);
    this.onChange(resource, stored.object);
    return this.typed(resource, stored.object);
  }

  /**
   * PUT: replaces the object (status kept, as the status subresource's owners write it), recorded
   * as an Update by `manager`. A resourceVersion in the body is a precondition; none means an
   * unconditional update, which these kinds allow.
   */
  replace<T extends KubeObject>(
    resource: Resource<T>,
    namespace: string,
    name: string,
    body: Json,
    manager: string,
  ): T {
    const stored = this.objects.get(this.key(resource, namespace, name));
    if (!stored) throw notFoundStatus(resource.plural, name, resource.group);
    const meta = metadataOf(body);
    if (meta.name !== name) throw badRequest('the name of the object (metadata.name) must match the name in the URL');
    checkResourceVersion(resource, name, stored.object.metadata.resourceVersion, meta.resourceVersion);
    const before = JSON.stringify(stored.object.spec ?? null);
    const next = structuredClone(body);
    next.metadata = {
      ...meta,
      uid: stored.object.metadata.uid,
      creationTimestamp: stored.object.metadata.creationTimestamp,
      generation: stored.object.metadata.generation,
    };
    if (stored.object.status !== undefined) next.status = stored.object.status;
    stored.owners = new Map([[`${manager}|Update`, new Set(flatten(body).keys())]]);
    stored.object = this.stamp(resource, namespace, next, before);
    this.onChange(resource, stored.object);
    return this.typed(resource, stored.object);
  }

  /** Writes status without bumping generation (the controller's path). */
  setStatus(resource: Resource, namespace: string, name: string, status: Json): void {
    const stored = this.objects.get(this.key(resource, namespace, name));
    if (!stored) return;
    stored.object = {
      ...stored.object,
      status,
      metadata: { ...stored.object.metadata, resourceVersion: String(++this.version) },
    };
  }

  delete<T extends KubeObject>(resource: Resource<T>, namespace: string, name: string): T {
    const key = this.key(resource, namespace, name);
    const stored = this.objects.get(key);
    if (!stored) throw notFoundStatus(resource.plural, name, resource.group);
    this.objects.delete(key);
    this.onChange(resource, stored.object);
    return this.typed(resource, stored.object);
  }

  /** Gives a body the metadata every stored object has; callers have checked its name. */
  private stamp(resource: Resource, namespace: string, object: Json, specBefore: string | undefined): KubeObject {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const meta = metadataOf(object);
    object.metadata = meta;
    if (resource.plural !== 'namespaces') meta.namespace = namespace;
    meta.uid ??= randomUUID();
    meta.creationTimestamp ??= now;
    meta.resourceVersion = String(++this.version);
    if (resource.kind === 'Deployment' || resource.kind === 'ReplicaSet') {
      const changed = specBefore === undefined || specBefore !== JSON.stringify(object.spec ?? null);
      meta.generation = (typeof meta.generation === 'number' ? meta.generation : 0) + (changed ? 1 : 0);
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
    return object as KubeObject;
  }
}
