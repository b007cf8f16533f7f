/**
 * Validates every exchange with the Kubernetes stand-in against the official OpenAPI v3 documents:
 * routes and bodies through SpecValidator, plus what SpecValidator cannot see on its own: a
 * server-side-apply body is typed only as `Patch` in the spec, so the object inside is checked
 * against its kind's schema (closed: a misspelt field fails), and every error body against meta/v1
 * Status. The spec lists few statuses (success codes and 401): an unlisted 4xx/5xx passes the status
 * rule only because its body must then be a Status with `code` equal to the HTTP status (checked
 * here on every error); an unlisted 2xx/3xx fails.
 * The authorization.k8s.io and metrics.k8s.io groups are not among the supplied specs, so their
 * routes are not checked (documented exception).
 */
import { Ajv, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';
import type { Exchange } from '../../src/sandbox/exchange.js';
import { unknownFields } from './closed-schema.js';
import { SpecValidator, type SpecViolation } from './openapi.js';
import { loadSpec } from './specs.js';
import type { JsonSchema } from './spec-types.js';
import { CnpgSpecValidator } from './cnpg-spec.js';

const addFormats = formatsPlugin as unknown as (ajv: Ajv) => void;
const FILES = {
  core: 'kubernetes/api__v1_openapi.json',
  apps: 'kubernetes/apis__apps__v1_openapi.json',
  networking: 'kubernetes/apis__networking.k8s.io__v1_openapi.json',
};
const KIND_SCHEMAS: Record<string, [keyof typeof FILES, string]> = {
  Deployment: ['apps', 'io.k8s.api.apps.v1.Deployment'],
  Service: ['core', 'io.k8s.api.core.v1.Service'],
  Secret: ['core', 'io.k8s.api.core.v1.Secret'],
  PersistentVolumeClaim: ['core', 'io.k8s.api.core.v1.PersistentVolumeClaim'],
  Namespace: ['core', 'io.k8s.api.core.v1.Namespace'],
  Ingress: ['networking', 'io.k8s.api.networking.v1.Ingress'],
};

export class KubeSpecValidator {
  private readonly validators = {
    core: new SpecValidator(FILES.core, { basePath: '', unlistedStatus: errorsOnly }),
    apps: new SpecValidator(FILES.apps, { basePath: '', unlistedStatus: errorsOnly }),
    networking: new SpecValidator(FILES.networking, { basePath: '', unlistedStatus: errorsOnly }),
  };
  private readonly ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  private readonly compiled = new Map<string, ValidateFunction>();
  private readonly own: SpecViolation[] = [];
  /** postgresql.cnpg.io: the CloudNativePG CRDs (cnpg-spec.ts). */
  private readonly cnpg = new CnpgSpecValidator();
  /** How many apply bodies were checked against their kind's schema. */
  appliedObjects = 0;

  constructor() {
    addFormats(this.ajv);
    for (const format of [
      'int32',
      'int64',
      'double',
      'float',
      'byte',
      'binary',
      'password',
      'int-or-string',
      'quantity',
      'date-time',
    ])
      this.ajv.addFormat(format, true);
    for (const [name, file] of Object.entries(FILES)) this.ajv.addSchema(loadSpec(file), name);
  }

  get violations(): SpecViolation[] {
    return [
      ...this.own,
      ...this.cnpg.violations,
      ...this.validators.core.violations,
      ...this.validators.apps.violations,
      ...this.validators.networking.violations,
    ];
  }

  /** Violations so far, emptied. */
  takeViolations(): SpecViolation[] {
    const all = this.violations;
    this.own.length = 0;
    this.cnpg.violations.length = 0;
    for (const v of Object.values(this.validators)) v.violations.length = 0;
    return all;
  }

  check = (exchange: Exchange): void => {
    const path = exchange.path;
    if (path.startsWith('/apis/postgresql.cnpg.io/')) {
      const before = this.cnpg.appliedObjects;
      this.cnpg.check(exchange);
      this.appliedObjects += this.cnpg.appliedObjects - before;
      return;
    }
    const group = path.startsWith('/api/v1')
      ? 'core'
      : path.startsWith('/apis/apps/v1')
        ? 'apps'
        : path.startsWith('/apis/networking.k8s.io/v1')
          ? 'networking'
          : null;
    if (!group) {
      // authorization.k8s.io and metrics.k8s.io have no spec among the supplied ones (documented above);
      // any other group the stand-in serves must get a check here rather than pass unseen.
      if (!/^\/apis\/(authorization\.k8s\.io|metrics\.k8s\.io)\//.test(path)) {
        this.own.push({
          exchange: `${exchange.method} ${path} -> ${exchange.status}`,
          where: 'route',
          errors: 'no spec check for this API group',
        });
      }
      return;
    }
    this.validators[group].check(exchange);
    const label = `${exchange.method} ${path} -> ${exchange.status}`;
    const body = exchange.requestBody as { kind?: string } | undefined;
    if (
      (exchange.method === 'PATCH' && exchange.requestContentType?.startsWith('application/apply-patch')) ||
      (exchange.method === 'POST' && body?.kind)
    ) {
      const target = body?.kind ? KIND_SCHEMAS[body.kind] : undefined;
      if (!target)
        this.own.push({ exchange: label, where: 'request', errors: `no schema known for kind ${String(body?.kind)}` });
      else {
        this.appliedObjects += 1;
        this.validate(target[0], target[1], body, label, 'request');
        // POST bodies get the closed check from SpecValidator; an apply body is typed only `Patch` there.
        if (exchange.method === 'PATCH') {
          const doc = loadSpec(FILES[target[0]]) as { components: { schemas: Record<string, JsonSchema> } };
          const unknown = unknownFields(doc, doc.components.schemas[target[1]]!, body);
          if (unknown.length)
            this.own.push({
              exchange: label,
              where: 'request',
              errors: `fields not in the spec: ${unknown.join(', ')}`,
            });
        }
      }
    }
    if (exchange.status >= 400 && exchange.responseBody && typeof exchange.responseBody === 'object') {
      this.validate('core', 'io.k8s.apimachinery.pkg.apis.meta.v1.Status', exchange.responseBody, label, 'response');
      const status = exchange.responseBody as { kind?: string; code?: number };
      if (status.kind !== 'Status' || status.code !== exchange.status)
        this.own.push({
          exchange: label,
          where: 'response',
          errors: 'error body is not a Status with code = HTTP status',
        });
    }
  };

  private validate(file: string, schema: string, body: unknown, label: string, where: 'request' | 'response'): void {
    const ref = `${file}#/components/schemas/${schema}`;
    const validate = this.compiled.get(ref) ?? this.ajv.compile({ $ref: ref });
    this.compiled.set(ref, validate);
    if (!validate(body))
      this.own.push({ exchange: label, where, errors: this.ajv.errorsText(validate.errors, { separator: '; ' }) });
  }
}

/** Unlisted statuses: errors pass here (their Status body is checked in `check`), successes do not. */
function errorsOnly(exchange: Exchange): string | undefined {
  return exchange.status >= 400 ? undefined : `status ${exchange.status} is not listed`;
}
