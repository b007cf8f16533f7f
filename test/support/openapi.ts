/**
 * Validates HTTP exchanges against an OpenAPI 3 or Swagger 2 document, strictly:
 * - the route and method must be an operation of the spec;
 * - every query parameter must be one the operation (or its path, or a query security scheme) lists;
 * - the request body must match the operation's body schema with Ajv, and declare no field the
 *   schema does not (closed-schema.ts: objects are closed where the spec does not say otherwise);
 * - the status must be listed for the operation (exactly, as `4XX`, or as `default`) and the body
 *   match its schema. A status the spec does not list fails unless the backend's `unlistedStatus`
 *   rule (spec-check.ts, where each rule is argued) accepts it.
 * Stand-ins report every exchange; a test fails when any does not match the official spec.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';

const addFormats = formatsPlugin as unknown as (ajv: Ajv) => void;
import type { Exchange } from '../../src/sandbox/exchange.js';
import { unknownFields } from './closed-schema.js';
import { loadSpec } from './specs.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SpecViolation {
  exchange: string;
  where: 'request' | 'response' | 'route' | 'query' | 'status';
  errors: string;
}

export interface SpecValidatorOptions {
  /** Path prefix the spec's paths are relative to (e.g. "/api/v1" for Gitea). */
  basePath?: string;
  ignoreRoutes?: RegExp[];
  /**
   * Judges a status the operation does not list: undefined accepts it, a string is the violation.
   * Without it, every unlisted status is a violation.
   */
  unlistedStatus?: (exchange: Exchange) => string | undefined;
}

export class SpecValidator {
  private readonly ajv: Ajv;
  private readonly spec: Json;
  private readonly routes: Array<{ template: string; regex: RegExp; item: Json }>;
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly violations: SpecViolation[] = [];
  private readonly basePath: string;

  private readonly unlistedStatus: (exchange: Exchange) => string | undefined;
  /** Query parameter names every operation takes (security schemes sent in the query). */
  private readonly securityQuery: string[];

  constructor(specFile: string, options: SpecValidatorOptions = {}) {
    this.spec = loadSpec(specFile) as Json;
    this.unlistedStatus =
      options.unlistedStatus ?? ((ex) => `status ${ex.status} is not among the operation's responses`);
    const schemes = {
      ...(this.spec.securityDefinitions ?? {}),
      ...(this.spec.components?.securitySchemes ?? {}),
    } as Record<string, Json>;
    this.securityQuery = Object.values(schemes)
      .filter((s) => s.in === 'query')
      .map((s) => s.name as string);
    this.basePath = options.basePath ?? (this.spec.basePath as string | undefined) ?? '';
    this.ignoreRoutes = options.ignoreRoutes ?? [];
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, logger: false });
    addFormats(this.ajv);
    // Vendor formats the specs use but JSON Schema does not define.
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
    ]) {
      this.ajv.addFormat(format, true);
    }
    this.ajv.addSchema(this.spec, 'spec');
    this.routes = Object.entries(this.spec.paths as Json).map(([template, item]) => ({
      template,
      regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}/?$`),
      item: item as Json,
    }));
  }

  private readonly ignoreRoutes: RegExp[];

  /** Checks one exchange; records violations instead of throwing so a test can report them all. */
  check(exchange: Exchange): void {
    const label = `${exchange.method} ${exchange.path} -> ${exchange.status}`;
    if (!exchange.path.startsWith(this.basePath)) {
      this.violations.push({ exchange: label, where: 'route', errors: `outside the API's base path ${this.basePath}` });
      return;
    }
    const path = exchange.path.slice(this.basePath.length) || '/';
    if (this.ignoreRoutes.some((r) => r.test(path))) return;
    // Prefer literal templates over parameterised ones (e.g. /dns_records/batch over /{id}).
    const candidates = this.routes
      .filter((r) => r.regex.test(path))
      .sort((a, b) => countParams(a.template) - countParams(b.template));
    const route = candidates.find((r) => r.item[exchange.method.toLowerCase()]);
    if (!route) {
      this.violations.push({ exchange: label, where: 'route', errors: 'no such operation in the spec' });
      return;
    }
    const operation = route.item[exchange.method.toLowerCase()] as Json;
    const pointer = `#/paths/${escapePointer(route.template)}/${exchange.method.toLowerCase()}`;
    this.checkQuery(route.item, operation, exchange, label);
    if (exchange.requestBody !== undefined && exchange.requestBody !== null && exchange.requestBody !== '') {
      const schemaRef = this.requestSchemaRef(operation, pointer, exchange.requestContentType);
      if (schemaRef) {
        this.validate(schemaRef, exchange.requestBody, label, 'request');
        this.checkClosed(schemaRef, exchange.requestBody, label);
      }
    }
    const responses = (operation.responses ?? {}) as Json;
    if (!statusKey(responses, exchange.status)) {
      const verdict = this.unlistedStatus(exchange);
      if (verdict)
        this.violations.push({
          exchange: label,
          where: 'status',
          errors: `${verdict} (listed: ${Object.keys(responses).join(', ')})`,
        });
      return;
    }
    const responseRef = this.responseSchemaRef(operation, pointer, exchange.status);
    if (responseRef && exchange.responseBody !== undefined && exchange.responseBody !== '') {
      this.validate(responseRef, exchange.responseBody, label, 'response');
    }
  }

  /** Fields the request body has but its schema does not declare (schemas closed by default). */
  checkClosed(schemaRef: string, body: unknown, label: string): void {
    const schema = resolvePointer(this.spec, schemaRef.replace(/^spec/, ''));
    const unknown = unknownFields(this.spec, schema, body);
    if (unknown.length)
      this.violations.push({
        exchange: label,
        where: 'request',
        errors: `fields not in the spec: ${unknown.join(', ')}`,
      });
  }

  private checkQuery(item: Json, operation: Json, exchange: Exchange, label: string): void {
    const listed = new Set(this.securityQuery);
    for (const raw of [...((item.parameters ?? []) as Json[]), ...((operation.parameters ?? []) as Json[])]) {
      const param = raw.$ref ? resolvePointer(this.spec, raw.$ref as string) : raw;
      if (param.in === 'query') listed.add(param.name as string);
    }
    const unknown = [...new URLSearchParams(exchange.query).keys()].filter((name) => !listed.has(name));
    if (unknown.length)
      this.violations.push({
        exchange: label,
        where: 'query',
        errors: `query parameters not in the spec: ${[...new Set(unknown)].join(', ')}`,
      });
  }

  private requestSchemaRef(operation: Json, pointer: string, contentType = 'application/json'): string | undefined {
    if (operation.requestBody) {
      const content = operation.requestBody.content as Json | undefined;
      if (!content) return undefined;
      const type =
        Object.keys(content).find((t) => contentType.startsWith(t)) ??
        Object.keys(content).find((t) => t.includes('json'));
      return type && content[type].schema
        ? `spec${pointer}/requestBody/content/${escapePointer(type)}/schema`
        : undefined;
    }
    const params = (operation.parameters ?? []) as Json[];
    const index = params.findIndex((p) => p.in === 'body');
    return index >= 0 ? `spec${pointer}/parameters/${index}/schema` : undefined;
  }

  private responseSchemaRef(operation: Json, pointer: string, status: number): string | undefined {
    const responses = (operation.responses ?? {}) as Json;
    const key = statusKey(responses, status);
    if (!key) return undefined;
    let response = responses[key] as Json;
    let base = `spec${pointer}/responses/${key}`;
    if (response.$ref) {
      base = `spec${response.$ref}`;
      response = resolvePointer(this.spec, response.$ref);
    }
    if (response.content) {
      const type = Object.keys(response.content).find((t) => t.includes('json'));
      return type && response.content[type].schema ? `${base}/content/${escapePointer(type)}/schema` : undefined;
    }
    return response.schema ? `${base}/schema` : undefined;
  }

  private validate(ref: string, body: unknown, label: string, where: 'request' | 'response'): void {
    const validate = this.compiled.get(ref) ?? this.ajv.compile({ $ref: ref });
    this.compiled.set(ref, validate);
    if (!validate(body)) {
      this.violations.push({
        exchange: label,
        where,
        errors: this.ajv.errorsText(validate.errors, { separator: '; ' }),
      });
    }
  }
}

/** The responses entry a status falls under: exact, `4XX`, or `default`. */
function statusKey(responses: Json, status: number): string | undefined {
  return [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default'].find((k) => responses[k]);
}

function countParams(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function resolvePointer(doc: Json, ref: string): Json {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node: Json, key) => node?.[key], doc);
}
