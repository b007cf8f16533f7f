/**
 * A small kustomize: exactly the features deployments/k8s uses (resources, components, namespace,
 * images, patches as strategic-merge files with the `$patch: delete` directive, secretGenerator
 * without name hashing), and a loud error on anything else, so a kustomization that grows past this
 * loader fails the test instead of being half-read. No kustomize binary is needed to test the manifests.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
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

const SUPPORTED = new Set([
  'apiVersion',
  'kind',
  'resources',
  'components',
  'namespace',
  'images',
  'patches',
  'secretGenerator',
  'generatorOptions',
]);
/** What a Component (kustomize.config.k8s.io/v1alpha1) may hold here: added objects and patches. */
const COMPONENT_SUPPORTED = new Set(['apiVersion', 'kind', 'resources', 'patches']);
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterIssuer',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'IngressClass',
]);
/** Strategic-merge keys of the built-in list fields we patch; any other list is replaced, as kustomize does. */
const MERGE_KEYS: Record<string, string> = {
  containers: 'name',
  initContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
};
const BUILTIN_GROUPS = new Set(['v1', 'apps/v1', 'networking.k8s.io/v1', 'rbac.authorization.k8s.io/v1', 'batch/v1']);

type Json = Record<string, unknown>;

export function buildKustomization(dir: string, options: BuildOptions = {}): K8sObject[] {
  const { file, k } = readKustomization(dir, 'Kustomization');
  const objects: K8sObject[] = [];
  addResources(objects, dir, k, options);
  if (k.secretGenerator) objects.push(...generateSecrets(dir, k, options));
  // As kustomize does: components act on what the resources produced, before this level's patches.
  for (const entry of (k.components as string[] | undefined) ?? []) {
    const componentDir = resolve(dir, entry);
    const component = readKustomization(componentDir, 'Component');
    addResources(objects, componentDir, component.k, options);
    applyPatches(objects, componentDir, component.file, component.k);
  }
  applyPatches(objects, dir, file, k);
  if (typeof k.namespace === 'string') {
    for (const o of objects) if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = k.namespace;
  }
  for (const image of (k.images as ImageOverride[] | undefined) ?? []) for (const o of objects) overrideImage(o, image);
  const ids = objects.map(objectId);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`${file}: ${duplicate} defined twice`);
  return objects;
}

function readKustomization(dir: string, kind: 'Kustomization' | 'Component'): { file: string; k: Json } {
  const file = ['kustomization.yaml', 'kustomization.yml'].map((f) => join(dir, f)).find(existsSync);
  if (!file) throw new Error(`no kustomization in ${dir}`);
  const k = readYaml(file)[0] as Json;
  if ((k.kind ?? 'Kustomization') !== kind) throw new Error(`${file}: expected kind ${kind}, found ${String(k.kind)}`);
  const allowed = kind === 'Component' ? COMPONENT_SUPPORTED : SUPPORTED;
  const unknown = Object.keys(k).filter((key) => !allowed.has(key));
  if (unknown.length) throw new Error(`${file}: the test loader does not implement ${unknown.join(', ')} in a ${kind}`);
  return { file, k };
}

function addResources(objects: K8sObject[], dir: string, k: Json, options: BuildOptions): void {
  for (const entry of (k.resources as string[] | undefined) ?? []) {
    if (/^[a-z]+:\/\//.test(entry)) throw new Error(`${dir}: remote resource ${entry} cannot be built offline`);
    const path = resolve(dir, entry);
    objects.push(
      ...(statSync(path).isDirectory() ? buildKustomization(path, options) : (readYaml(path) as K8sObject[])),
    );
  }
}

function applyPatches(objects: K8sObject[], dir: string, file: string, k: Json): void {
  for (const patch of (k.patches as Array<{ path?: string; target?: unknown }> | undefined) ?? []) {
    if (!patch.path || patch.target)
      throw new Error(`${file}: only file patches that name their target object are supported`);
    for (const doc of readYaml(resolve(dir, patch.path)) as K8sObject[]) applyPatch(objects, doc, patch.path);
  }
}

export const objectId = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? '-'}/${o.metadata.name}`;

function readYaml(path: string): unknown[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((doc) => {
      if (doc.errors.length) throw new Error(`${path}: ${doc.errors[0]!.message}`);
      return doc.toJS() as unknown;
    })
    .filter((doc) => doc !== null && doc !== undefined);
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
  return (
    k.secretGenerator as Array<{ name: string; namespace?: string; envs?: string[]; files?: string[]; type?: string }>
  ).map((g) => {
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
      const [key, path] = spec.includes('=')
        ? (spec.split('=', 2) as [string, string])
        : [spec.split('/').pop()!, spec];
      data[key] = Buffer.from(read(path)).toString('base64');
    }
    const metadata = { name: g.name, ...(g.namespace ? { namespace: g.namespace } : {}) };
    return { apiVersion: 'v1', kind: 'Secret', metadata, type: g.type ?? 'Opaque', data };
  });
}

function applyPatch(objects: K8sObject[], patch: K8sObject, where: string): void {
  const target = objects.find(
    (o) =>
      o.kind === patch.kind &&
      o.metadata.name === patch.metadata.name &&
      (patch.metadata.namespace === undefined || o.metadata.namespace === patch.metadata.namespace),
  );
  if (!target) throw new Error(`${where}: patch target ${objectId(patch)} not found`);
  // A patch whose only directive is `$patch: delete` removes its target object (kustomize's
  // strategic-merge patch semantics, also for custom resources).
  if (patch.$patch === 'delete') {
    objects.splice(objects.indexOf(target), 1);
    return;
  }
  merge(target, patch, BUILTIN_GROUPS.has(target.apiVersion));
}

function merge(target: Json, patch: Json, strategic: boolean): void {
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) throw new Error(`patch directive ${key} is not implemented by the test loader`);
    const current = target[key];
    if (value === null) delete target[key];
    else if (Array.isArray(value) && Array.isArray(current) && strategic && MERGE_KEYS[key])
      mergeList(current as Json[], value as Json[], MERGE_KEYS[key]);
    else if (isObject(value) && isObject(current)) merge(current, value, strategic);
    else if (JSON.stringify(value).includes('"$patch"'))
      throw new Error(`patch directive under ${key} is not implemented by the test loader for this list`);
    else target[key] = structuredClone(value);
  }
}

function mergeList(current: Json[], patch: Json[], mergeKey: string): void {
  for (const item of patch) {
    const existing = current.find((c) => c[mergeKey] === item[mergeKey]);
    const directives = Object.keys(item).filter((key) => key.startsWith('$'));
    if (directives.length && item.$patch !== 'delete')
      throw new Error(`patch directive ${directives.join(', ')} in a list is not implemented by the test loader`);
    if (item.$patch === 'delete') {
      // Deleting an entry that is not there is an error here: it means the patch and its target drifted apart.
      if (!existing) throw new Error(`patch deletes ${mergeKey} ${String(item[mergeKey])}, which is not in the list`);
      current.splice(current.indexOf(existing), 1);
    } else if (existing) merge(existing, item, true);
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

/**
 * A pod spec as a manifest writes it: the fields the Kubernetes API declares, and whatever else the
 * file holds (a misspelt field is still there for the schema checks to find).
 */
export type PodSpec = V1PodSpec & Json;

/** The pod spec of any workload kind: Pod, or anything with a pod template. */
export function podSpecOf(o: K8sObject): PodSpec | undefined {
  if (o.kind === 'Pod') return o.spec as PodSpec;
  return (o.spec as { template?: { spec?: PodSpec } } | undefined)?.template?.spec;
}

export function containersOf(o: K8sObject): V1Container[] {
  const spec = podSpecOf(o);
  return spec ? [...(spec.initContainers ?? []), ...(spec.containers ?? [])] : [];
}

export function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [rest, digest] = image.split('@') as [string, string | undefined];
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  return colon > slash ? { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest } : { name: rest, digest };
}

function overrideImage(o: K8sObject, override: ImageOverride): void {
  for (const container of containersOf(o)) {
    const image = splitImage(container.image!);
    if (image.name !== override.name) continue;
    const name = override.newName ?? image.name;
    container.image = override.digest ? `${name}@${override.digest}` : `${name}:${override.newTag ?? image.tag}`;
  }
}

export const repoRoot = resolve(dirname(new URL(import.meta.url).pathname), '../..');
