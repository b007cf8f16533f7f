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
import {
  HTTP_METHODS,
  type JsonSchema,
  type OpenApiDocument,
  type Operation,
  type Parameter,
  type PathItem,
  type Response,
} from './spec-types.js';

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
  private readonly spec: OpenApiDocument;
  private readonly routes: Array<{ template: string; regex: RegExp; item: PathItem }>;
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly violations: SpecViolation[] = [];
  private readonly basePath: string;

  private readonly unlistedStatus: (exchange: Exchange) => string | undefined;
  /** Query parameter names every operation takes (security schemes sent in the query). */
  private readonly securityQuery: string[];

  constructor(specFile: string, options: SpecValidatorOptions = {}) {
    this.spec = loadSpec(specFile) as unknown as OpenApiDocument;
    this.unlistedStatus =
      options.unlistedStatus ?? ((ex) => `status ${ex.status} is not among the operation's responses`);
    const schemes = { ...this.spec.securityDefinitions, ...this.spec.components?.securitySchemes };
    this.securityQuery = Object.values(schemes)
      .filter((s) => s.in === 'query')
      .map((s) => String(s.name));
    this.basePath = options.basePath ?? this.spec.basePath ?? '';
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
    this.routes = Object.entries(this.spec.paths).map(([template, item]) => ({
      template,
      regex: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}/?$`),
      item,
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
    const route = candidates.find((r) => operationOf(r.item, exchange.method));
    const operation = route && operationOf(route.item, exchange.method);
    if (!route || !operation) {
      this.violations.push({ exchange: label, where: 'route', errors: 'no such operation in the spec' });
      return;
    }
    const pointer = `#/paths/${escapePointer(route.template)}/${exchange.method.toLowerCase()}`;
    this.checkQuery(route.item, operation, exchange, label);
    if (exchange.requestBody !== undefined && exchange.requestBody !== null && exchange.requestBody !== '') {
      const schemaRef = this.requestSchemaRef(operation, pointer, exchange.requestContentType);
      if (schemaRef) {
        this.validate(schemaRef, exchange.requestBody, label, 'request');
        this.checkClosed(schemaRef, exchange.requestBody, label);
      }
    }
    const responses = operation.responses ?? {};
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
    const schema = resolvePointer(this.spec, schemaRef.replace(/^spec/, '')) as JsonSchema;
    const unknown = unknownFields(this.spec, schema, body);
    if (unknown.length)
      this.violations.push({
        exchange: label,
        where: 'request',
        errors: `fields not in the spec: ${unknown.join(', ')}`,
      });
  }

  private checkQuery(item: PathItem, operation: Operation, exchange: Exchange, label: string): void {
    const listed = new Set(this.securityQuery);
    for (const raw of [...(item.parameters ?? []), ...(operation.parameters ?? [])]) {
      const param = raw.$ref ? (resolvePointer(this.spec, raw.$ref) as Parameter) : raw;
      if (param.in === 'query') listed.add(String(param.name));
    }
    const unknown = [...new URLSearchParams(exchange.query).keys()].filter((name) => !listed.has(name));
    if (unknown.length)
      this.violations.push({
        exchange: label,
        where: 'query',
        errors: `query parameters not in the spec: ${[...new Set(unknown)].join(', ')}`,
      });
  }

  private requestSchemaRef(
    operation: Operation,
    pointer: string,
    contentType = 'application/json',
  ): string | undefined {
    if (operation.requestBody) {
      const content = operation.requestBody.content;
      if (!content) return undefined;
      const type =
        Object.keys(content).find((t) => contentType.startsWith(t)) ??
        Object.keys(content).find((t) => t.includes('json'));
      return type && content[type]?.schema
        ? `spec${pointer}/requestBody/content/${escapePointer(type)}/schema`
        : undefined;
    }
    const params = operation.parameters ?? [];
    const index = params.findIndex((p) => p.in === 'body');
    return index >= 0 ? `spec${pointer}/parameters/${index}/schema` : undefined;
  }

  private responseSchemaRef(operation: Operation, pointer: string, status: number): string | undefined {
    const responses = operation.responses ?? {};
    const key = statusKey(responses, status);
    if (!key) return undefined;
    let response = responses[key]!;
    let base = `spec${pointer}/responses/${key}`;
    if (response.$ref) {
      base = `spec${response.$ref}`;
      response = resolvePointer(this.spec, response.$ref) as Response;
    }
    if (response.content) {
      const type = Object.keys(response.content).find((t) => t.includes('json'));
      return type && response.content[type]?.schema ? `${base}/content/${escapePointer(type)}/schema` : undefined;
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
function statusKey(responses: Record<string, Response>, status: number): string | undefined {
  return [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default'].find((k) => responses[k]);
}

function countParams(template: string): number {
  return (template.match(/\{/g) ?? []).length;
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** The operation a path item lists for an HTTP method (any case), if it lists one. */
function operationOf(item: PathItem, method: string): Operation | undefined {
  const key = HTTP_METHODS.find((m) => m === method.toLowerCase());
  return key && item[key];
}

/** The node a JSON pointer (`#/a/b`, `~1` for `/`) names in the document; what it is, the caller knows. */
function resolvePointer(doc: object, ref: string): unknown {
  return ref
    .replace(/^#\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>(
      (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
      doc,
    );
}
