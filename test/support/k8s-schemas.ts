/**
 * Validates whole Kubernetes objects against the official OpenAPI v3 documents (core v1, apps/v1,
 * networking.k8s.io/v1). The schema for an object is the one whose x-kubernetes-group-version-kind
 * names its apiVersion and kind. The official schemas allow unknown fields (the API server drops
 * them with a warning), which would let a misspelt field pass; here every object schema that
 * lists its properties is closed, so a typo such as `contianers` fails.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { loadSpec } from './specs.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SPEC_FILES = ['kubernetes/api__v1_openapi.json', 'kubernetes/apis__apps__v1_openapi.json', 'kubernetes/apis__networking.k8s.io__v1_openapi.json'];

export class K8sSchemas {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, logger: false });
  private readonly byGvk = new Map<string, string>();
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor() {
    SPEC_FILES.forEach((file, i) => {
      const spec = structuredClone(loadSpec(file)) as Json;
      for (const [name, schema] of Object.entries(spec.components.schemas as Json)) {
        close(schema);
        for (const gvk of (schema['x-kubernetes-group-version-kind'] ?? []) as Array<{ group: string; version: string; kind: string }>) {
          const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
          this.byGvk.set(`${apiVersion}/${gvk.kind}`, `spec${i}#/components/schemas/${name}`);
        }
      }
      this.ajv.addSchema(spec, `spec${i}`);
    });
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
    return (validate.errors ?? []).map(e => `${e.instancePath || '/'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? `: ${String(e.params.additionalProperty)}` : ''}`);
  }
}

/** Adds additionalProperties: false to every schema that enumerates its properties. */
function close(schema: unknown): void {
  if (Array.isArray(schema)) return schema.forEach(close);
  if (typeof schema !== 'object' || schema === null) return;
  const s = schema as Json;
  if (s.properties && s.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) s.additionalProperties = false;
  for (const value of Object.values(s)) close(value);
}
