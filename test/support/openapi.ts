/**
 * Validates HTTP exchanges against an OpenAPI 3 or Swagger 2 document with Ajv: the request body
 * against the operation's body schema and the response body against the schema for its status.
 * Stand-ins report every exchange; a test fails when any does not match the official spec.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';

const addFormats = formatsPlugin as unknown as (ajv: Ajv) => void;
import type { Exchange } from '../../src/sandbox/exchange.js';
import { loadSpec } from './specs.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SpecViolation {
  exchange: string;
  where: 'request' | 'response' | 'route';
  errors: string;
}

export class SpecValidator {
  private readonly ajv: Ajv;
  private readonly spec: Json;
  private readonly routes: Array<{ template: string; regex: RegExp; item: Json }>;
  private readonly compiled = new Map<string, ValidateFunction>();
  readonly violations: SpecViolation[] = [];
  /** Path prefix the spec's paths are relative to (e.g. "/api/v1" for Gitea). */
  private readonly basePath: string;

  constructor(specFile: string, options: { basePath?: string; ignoreRoutes?: RegExp[] } = {}) {
    this.spec = loadSpec(specFile) as Json;
    this.basePath = options.basePath ?? (this.spec.basePath as string | undefined) ?? '';
    this.ignoreRoutes = options.ignoreRoutes ?? [];
    this.ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, logger: false });
    addFormats(this.ajv);
    // Vendor formats the specs use but JSON Schema does not define.
    for (const format of ['int32', 'int64', 'double', 'float', 'byte', 'binary', 'password', 'int-or-string', 'quantity']) {
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
    const path = exchange.path.startsWith(this.basePath) ? exchange.path.slice(this.basePath.length) || '/' : exchange.path;
    if (this.ignoreRoutes.some(r => r.test(path))) return;
    const label = `${exchange.method} ${exchange.path} -> ${exchange.status}`;
    // Prefer literal templates over parameterised ones (e.g. /dns_records/batch over /{id}).
    const candidates = this.routes.filter(r => r.regex.test(path)).sort((a, b) => countParams(a.template) - countParams(b.template));
    const route = candidates.find(r => r.item[exchange.method.toLowerCase()]);
    if (!route) {
      this.violations.push({ exchange: label, where: 'route', errors: 'no such operation in the spec' });
      return;
    }
    const operation = route.item[exchange.method.toLowerCase()] as Json;
    const pointer = `#/paths/${escapePointer(route.template)}/${exchange.method.toLowerCase()}`;
    if (exchange.requestBody !== undefined && exchange.requestBody !== null && exchange.requestBody !== '') {
      const schemaRef = this.requestSchemaRef(operation, pointer, exchange.requestContentType);
      if (schemaRef) this.validate(schemaRef, exchange.requestBody, label, 'request');
    }
    const responseRef = this.responseSchemaRef(operation, pointer, exchange.status);
    if (responseRef && exchange.responseBody !== undefined && exchange.responseBody !== '') {
      this.validate(responseRef, exchange.responseBody, label, 'response');
    }
  }

  private requestSchemaRef(operation: Json, pointer: string, contentType = 'application/json'): string | undefined {
    if (operation.requestBody) {
      const content = operation.requestBody.content as Json | undefined;
      if (!content) return undefined;
      const type = Object.keys(content).find(t => contentType.startsWith(t)) ?? Object.keys(content).find(t => t.includes('json'));
      return type && content[type].schema ? `spec${pointer}/requestBody/content/${escapePointer(type)}/schema` : undefined;
    }
    const params = (operation.parameters ?? []) as Json[];
    const index = params.findIndex(p => p.in === 'body');
    return index >= 0 ? `spec${pointer}/parameters/${index}/schema` : undefined;
  }

  private responseSchemaRef(operation: Json, pointer: string, status: number): string | undefined {
    const responses = (operation.responses ?? {}) as Json;
    const key = [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default'].find(k => responses[k]);
    if (!key) return undefined;
    let response = responses[key] as Json;
    let base = `spec${pointer}/responses/${key}`;
    if (response.$ref) {
      base = `spec${response.$ref}`;
      response = resolvePointer(this.spec, response.$ref);
    }
    if (response.content) {
      const type = Object.keys(response.content).find(t => t.includes('json'));
      return type && response.content[type].schema ? `${base}/content/${escapePointer(type)}/schema` : undefined;
    }
    return response.schema ? `${base}/schema` : undefined;
  }

  private validate(ref: string, body: unknown, label: string, where: 'request' | 'response'): void {
    const validate = this.compiled.get(ref) ?? this.ajv.compile({ $ref: ref });
    this.compiled.set(ref, validate);
    if (!validate(body)) {
      this.violations.push({ exchange: label, where, errors: this.ajv.errorsText(validate.errors, { separator: '; ' }) });
    }
  }
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
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((node: Json, key) => node?.[key], doc);
}
