/**
 * A small kustomize: exactly the features deployments/k8s uses (resources, namespace, images,
 * patches as strategic-merge files, secretGenerator without name hashing), and a loud error on
 * anything else, so a kustomization that grows past this loader fails the test instead of being
 * half-read. No kustomize binary is needed to test the manifests.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; [key: string]: unknown };
  [key: string]: unknown;
}

export interface BuildOptions {
  /** Read `<file><suffix>` when a generator's input file is missing (tests use the committed templates). */
  envFileFallback?: string;
}

const SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches', 'secretGenerator', 'generatorOptions']);
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'ClusterIssuer', 'CustomResourceDefinition', 'PersistentVolume', 'StorageClass', 'IngressClass']);
/** Strategic-merge keys of the built-in list fields we patch; any other list is replaced, as kustomize does. */
const MERGE_KEYS: Record<string, string> = { containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'mountPath' };
const BUILTIN_GROUPS = new Set(['v1', 'apps/v1', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'batch/v1']);

type Json = Record<string, unknown>;

export function buildKustomization(dir: string, options: BuildOptions = {}): K8sObject[] {
  const file = ['kustomization.yaml', 'kustomization.yml'].map(f => join(dir, f)).find(existsSync);
  if (!file) throw new Error(`no kustomization in ${dir}`);
  const k = readYaml(file)[0] as Json;
  const unknown = Object.keys(k).filter(key => !SUPPORTED.has(key));
  if (unknown.length) throw new Error(`${file}: the test loader does not implement ${unknown.join(', ')}`);

  const objects: K8sObject[] = [];
  for (const entry of (k.resources as string[] | undefined) ?? []) {
    const path = resolve(dir, entry);
    objects.push(...(statSync(path).isDirectory() ? buildKustomization(path, options) : (readYaml(path) as K8sObject[])));
  }
  if (k.secretGenerator) objects.push(...generateSecrets(dir, k, options));
  for (const patch of (k.patches as Array<{ path?: string; target?: unknown }> | undefined) ?? []) {
    if (!patch.path || patch.target) throw new Error(`${file}: only file patches that name their target object are supported`);
    for (const doc of readYaml(resolve(dir, patch.path)) as K8sObject[]) applyPatch(objects, doc, patch.path);
  }
  if (typeof k.namespace === 'string') {
    for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  }
  for (const image of (k.images as ImageOverride[] | undefined) ?? []) for (const o of objects) overrideImage(o, image);
  const ids = objects.map(objectId);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`${file}: ${duplicate} defined twice`);
  return objects;
}

export const objectId = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? '-'}/${o.metadata.name}`;

function readYaml(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map(doc => {
      if (doc.errors.length) throw new Error(`${path}: ${doc.errors[0]!.message}`);
      return doc.toJS() as unknown;
    })
    .filter(doc => doc !== null && doc !== undefined);
}

function generateSecrets(dir: string, k: Json, options: BuildOptions): K8sObject[] {
  if ((k.generatorOptions as Json | undefined)?.disableNameSuffixHash !== true) {
    throw new Error('the test loader only implements generators with disableNameSuffixHash: true');
  }
  const read = (relative: string) => {
    const path = resolve(dir, relative);
    const fallback = options.envFileFallback ? path + options.envFileFallback : undefined;
    return readFileSync(existsSync(path) || !fallback ? path : fallback, 'utf8');
  };
  return (k.secretGenerator as Array<{ name: string; namespace?: string; envs?: string[]; files?: string[]; type?: string }>).map(g => {
    const data: Record<string, string> = {};
    for (const env of g.envs ?? []) {
      for (const line of read(env).split('\n')) {
        if (!line.trim() || line.trim().startsWith('#')) continue;
        const at = line.indexOf('=');
        if (at < 1) throw new Error(`${env}: not KEY=VALUE: a line without "="`);
        data[line.slice(0, at).trim()] = Buffer.from(line.slice(at + 1)).toString('base64');
      }
    }
    for (const spec of g.files ?? []) {
      const [key, path] = spec.includes('=') ? (spec.split('=', 2) as [string, string]) : [spec.split('/').pop()!, spec];
      data[key] = Buffer.from(read(path)).toString('base64');
    }
    const metadata = { name: g.name, ...(g.namespace ? { namespace: g.namespace } : {}) };
    return { apiVersion: 'v1', kind: 'Secret', metadata, type: g.type ?? 'Opaque', data };
  });
}

function applyPatch(objects: K8sObject[], patch: K8sObject, where: string): void {
  const target = objects.find(
    o => o.kind === patch.kind && o.metadata.name === patch.metadata.name && (patch.metadata.namespace === undefined || o.metadata.namespace === patch.metadata.namespace),
  );
  if (!target) throw new Error(`${where}: patch target ${objectId(patch)} not found`);
  merge(target, patch, BUILTIN_GROUPS.has(target.apiVersion));
}

function merge(target: Json, patch: Json, strategic: boolean): void {
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) throw new Error(`patch directive ${key} is not implemented by the test loader`);
    const current = target[key];
    if (value === null) delete target[key];
    else if (Array.isArray(value) && Array.isArray(current) && strategic && MERGE_KEYS[key]) mergeList(current as Json[], value as Json[], MERGE_KEYS[key]!);
    else if (isObject(value) && isObject(current)) merge(current, value, strategic);
    else target[key] = structuredClone(value);
  }
}

function mergeList(current: Json[], patch: Json[], mergeKey: string): void {
  for (const item of patch) {
    const existing = current.find(c => c[mergeKey] === item[mergeKey]);
    if (existing) merge(existing, item, true);
    else current.push(structuredClone(item));
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

/** The containers of any workload kind: Pod, or anything with a pod template. */
export function podSpecOf(o: K8sObject): Json | undefined {
  if (o.kind === 'Pod') return o.spec as Json;
  return ((o.spec as Json | undefined)?.template as Json | undefined)?.spec as Json | undefined;
}

export function containersOf(o: K8sObject): Json[] {
  const spec = podSpecOf(o);
  return spec ? [...((spec.initContainers as Json[]) ?? []), ...((spec.containers as Json[]) ?? [])] : [];
}

export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [rest, digest] = image.split('@') as [string, string | undefined];
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  return colon > slash ? { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest } : { name: rest, digest };
}

function overrideImage(o: K8sObject, override: ImageOverride): void {
  for (const container of containersOf(o)) {
    const image = splitImage(container.image as string);
    if (image.name !== override.name) continue;
    const name = override.newName ?? image.name;
    container.image = override.digest ? `${name}@${override.digest}` : `${name}:${override.newTag ?? image.tag}`;
  }
}

export const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '../..');
