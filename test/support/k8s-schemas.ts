/**
 * Validates whole Kubernetes objects against the official OpenAPI v3 documents (core v1, apps/v1,
 * networking.k8s.io/v1) and against the CustomResourceDefinitions we use (CloudNativePG's Cluster,
 * from its released CRD). The schema for a built-in object is the one whose
 * x-kubernetes-group-version-kind names its apiVersion and kind; for a custom resource it is the
 * served version's openAPIV3Schema. The official schemas allow unknown fields (the API server drops
 * them with a warning), which would let a misspelt field pass; here every object schema that
 * lists its properties is closed, so a typo such as `contianers` fails.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { loadSpec, SPECS_DIR } from './specs.js';
import type { CustomResourceDefinition, JsonSchema, OpenApiDocument } from './spec-types.js';

const SPEC_FILES = [
  'kubernetes/api__v1_openapi.json',
  'kubernetes/apis__apps__v1_openapi.json',
  'kubernetes/apis__networking.k8s.io__v1_openapi.json',
];
const CRD_FILES = ['cloudnative-pg/postgresql.cnpg.io_clusters.yaml'];

export class K8sSchemas {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
  private readonly byGvk = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    SPEC_FILES.forEach((file, i) => {
      const spec = structuredClone(loadSpec(file)) as unknown as OpenApiDocument;
      for (const [name, schema] of Object.entries(spec.components?.schemas ?? {})) {
        close(schema);
        for (const gvk of schema['x-kubernetes-group-version-kind'] ?? []) {
          const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
          this.byGvk.set(`${apiVersion}/${gvk.kind}`, `spec${i}#/components/schemas/${name}`);
        }
      }
      this.ajv.addSchema(spec, `spec${i}`);
    });
    for (const file of CRD_FILES) {
      const crd = parse(readFileSync(resolve(SPECS_DIR, file), 'utf8')) as CustomResourceDefinition;
      for (const version of crd.spec.versions) {
        if (!version.served) continue;
        const schema = structuredClone(version.schema.openAPIV3Schema);
        // The API server validates metadata itself; the CRD only says `type: object` there.
        close(schema);
        const id = `crd:${crd.spec.group}/${version.name}/${crd.spec.names.kind}`;
        this.ajv.addSchema(schema, id);
        this.byGvk.set(`${crd.spec.group}/${version.name}/${crd.spec.names.kind}`, id);
      }
    }
  }

  /** Whether the specs define this apiVersion and kind. */
  covers(apiVersion: string, kind: string): boolean {
    return this.byGvk.has(`${apiVersion}/${kind}`);
  }

  /** Error text per violation; empty when the object matches its schema. */
  validate(object: { apiVersion: string; kind: string }): string[] {
    const ref = this.byGvk.get(`${object.apiVersion}/${object.kind}`);
    if (!ref) return [`no schema for ${object.apiVersion} ${object.kind}`];
    let validate = this.compiled.get(ref);
    if (!validate) this.compiled.set(ref, (validate = this.ajv.compile({ $ref: ref })));
    if (validate(object)) return [];
    return (validate.errors ?? []).map(
      (e) =>
        `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`,
    );
  }
}

/** Adds additionalProperties: false to every schema that enumerates its properties. */
function close(schema: unknown): void {
  if (Array.isArray(schema)) return schema.forEach(close);
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as JsonSchema;
  if (s.properties && s.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields'])
    s.additionalProperties = false;
  for (const value of Object.values(s)) close(value);
}
