/**
 * @module sandbox/kubernetes/kube-fields
 * Objects as leaf field paths, the unit of server-side apply's field ownership (kube-store.ts):
 * flattening an applied intent, reading and removing a path, and the RFC 7386 merge both apply
 * and merge patch write with.
 */
import { isRecord, type Json } from './kube-objects.js';

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
/** How a conflict names the field: `.spec.replicas`. */
export const display = (path: string) => `.${path.split(SEP).join('.')}`;

/** Leaf paths and their values; an empty object is a leaf, as arrays are (they are owned whole). */
export function flatten(value: Json, prefix = '', out: Leaf = new Map()): Leaf {
  for (const [key, v] of Object.entries(value)) {
    const path = prefix ? `${prefix}${SEP}${key}` : key;
    if (IGNORED.has(path)) continue;
    if (isRecord(v) && Object.keys(v).length > 0) flatten(v, path, out);
    else out.set(path, v);
  }
  return out;
}

export function getPath(obj: Json, path: string): unknown {
  return path
    .split(SEP)
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      obj,
    );
}

/**
 * Removes a field an applier stopped sending, and the objects it leaves empty, so a server-side
 * apply that drops `strategy.rollingUpdate`'s fields (a switch to Recreate) leaves no empty
 * `rollingUpdate: {}` behind, which the API's Deployment validation would refuse next to Recreate
 * (pkg/apis/apps/validation/validation.go ValidateDeploymentStrategy). Field removal as in
 * sigs.k8s.io/structured-merge-diff typed/remove.go.
 */
export function deletePath(obj: Json, path: string): void {
  const keys = path.split(SEP);
  const last = keys.pop()!;
  // A path through anything but objects leads nowhere: there is nothing to delete.
  const parents = [obj];
  for (const key of keys) {
    const next = parents.at(-1)![key];
    if (!isRecord(next)) return;
    parents.push(next);
  }
  delete parents.at(-1)![last];
  for (let i = keys.length - 1; i >= 0; i--) {
    if (Object.keys(parents[i + 1]!).length > 0) break;
    delete parents[i]![keys[i]!];
  }
}

/** RFC 7386: null removes a field, objects merge, anything else replaces. */
export function mergeInto(target: Json, patch: Json): Json {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete target[key];
    else if (isRecord(value)) {
      const current = target[key];
      target[key] = mergeInto(isRecord(current) ? current : {}, value);
    } else target[key] = structuredClone(value);
  }
  return target;
}
