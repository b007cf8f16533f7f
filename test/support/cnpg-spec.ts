/**
 * Validates the CloudNativePG objects threesix sends (server-side apply of `Cluster` and
 * `ScheduledBackup`, postgresql.cnpg.io/v1) against the CRDs' openAPIV3Schema as published by
 * cloudnative-pg (config/crd/bases, in THREESIX_SPECS_DIR/cloudnative-pg), closed like the other
 * Kubernetes kinds (a misspelt field fails). CEL rules (x-kubernetes-validations) are not evaluated.
 * Other requests in the group (get, list, delete) carry no body to check.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import type { Exchange } from '../../src/sandbox/exchange.js';
import { unknownFields } from './closed-schema.js';
import type { SpecViolation } from './openapi.js';
import { SPECS_DIR } from './specs.js';
import type { CustomResourceDefinition, JsonSchema as Schema } from './spec-types.js';

const CRDS: Record<string, string> = {
  Cluster: 'postgresql.cnpg.io_clusters.yaml',
  ScheduledBackup: 'postgresql.cnpg.io_scheduledbackups.yaml',
};
export function crdSchema(kind: string): Schema {
  const crd = parse(
    readFileSync(resolve(SPECS_DIR, 'cloudnative-pg', CRDS[kind]!), 'utf8'),
  ) as CustomResourceDefinition;
  const v1 = crd.spec.versions.find((v) => v.name === 'v1');
  if (!v1) throw new Error(`${CRDS[kind]} defines no v1`);
  return v1.schema.openAPIV3Schema;
}

export class CnpgSpecValidator {
  readonly violations: SpecViolation[] = [];
  appliedObjects = 0;
  private readonly ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  private readonly compiled = new Map<string, { schema: Schema; validate: ValidateFunction }>();

  constructor() {
    for (const format of ['int32', 'int64', 'double', 'float', 'byte', 'date-time', 'duration'])
      this.ajv.addFormat(format, true);
  }

  check(exchange: Exchange): void {
    const body = exchange.requestBody as { kind?: string } | undefined;
    const label = `${exchange.method} ${exchange.path} -> ${exchange.status}`;
    const isWrite =
      exchange.method === 'POST' ||
      exchange.method === 'PUT' ||
      (exchange.method === 'PATCH' && exchange.requestContentType?.startsWith('application/apply-patch'));
    if (!isWrite || !body) return;
    if (!body.kind || !CRDS[body.kind]) {
      this.violations.push({
        exchange: label,
        where: 'request',
        errors: `no CloudNativePG CRD known for kind ${String(body.kind)}`,
      });
      return;
    }
    const { schema, validate } = this.compile(body.kind);
    this.appliedObjects += 1;
    if (!validate(body))
      this.violations.push({
        exchange: label,
        where: 'request',
        errors: this.ajv.errorsText(validate.errors, { separator: '; ' }),
      });
    const unknown = unknownFields(schema, schema, body);
    if (unknown.length)
      this.violations.push({
        exchange: label,
        where: 'request',
        errors: `fields not in the CRD: ${unknown.join(', ')}`,
      });
  }

  private compile(kind: string) {
    const known = this.compiled.get(kind);
    if (known) return known;
    const schema = crdSchema(kind);
    const entry = { schema, validate: this.ajv.compile(schema) };
    this.compiled.set(kind, entry);
    return entry;
  }
}
