/**
 * Finds the fields of a request body that its schema does not declare, i.e. validates it as if every
 * object schema were `additionalProperties: false` unless the spec says otherwise. Ajv cannot do this
 * by itself: closing each schema breaks `allOf`, where every branch declares only part of the fields
 * (Cloudflare's records, Kubernetes' wrappers). So a field is known when any schema that applies at
 * that place declares it (its own `properties`, its `allOf`/`oneOf`/`anyOf` branches, `$ref`s
 * followed). Open, as the spec says: `additionalProperties` true or a schema (its values are walked
 * with that schema), `x-kubernetes-preserve-unknown-fields`, and an object schema that declares no
 * properties at all (the spec describes nothing there, e.g. Kubernetes' `Patch`, Gitea's maps).
 * A misspelt field such as `imagePulPolicy` in a container is reported with its JSON pointer.
 */
import type { JsonSchema as Schema } from './spec-types.js';

interface Shape {
  properties: Map<string, Schema[]>;
  additional: Schema[];
  open: boolean;
  items: Schema[];
}

export function unknownFields(doc: object, schema: Schema, value: unknown): string[] {
  const out: string[] = [];
  walk(doc, [schema], value, '', out);
  return out;
}

function walk(doc: object, schemas: Schema[], value: unknown, pointer: string, out: string[]): void {
  if (value === null || typeof value !== 'object' || schemas.length === 0) return;
  const shape = shapeOf(doc, schemas);
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(doc, shape.items, item, `${pointer}/${i}`, out));
    return;
  }
  const declaresNothing = shape.properties.size === 0 && shape.additional.length === 0;
  for (const [key, child] of Object.entries(value)) {
    const declared = shape.properties.get(key);
    if (declared) walk(doc, declared, child, `${pointer}/${key}`, out);
    else if (shape.additional.length) walk(doc, shape.additional, child, `${pointer}/${key}`, out);
    else if (!shape.open && !declaresNothing) out.push(`${pointer}/${key}`);
  }
}

function shapeOf(doc: object, schemas: Schema[]): Shape {
  const shape: Shape = { properties: new Map(), additional: [], open: false, items: [] };
  const seen = new Set<Schema>();
  const visit = (raw: Schema | boolean | undefined) => {
    if (raw === undefined || typeof raw === 'boolean') return;
    const schema = resolve(doc, raw);
    if (seen.has(schema)) return;
    seen.add(schema);
    for (const [name, sub] of Object.entries(schema.properties ?? {})) {
      shape.properties.set(name, [...(shape.properties.get(name) ?? []), sub]);
    }
    if (schema.additionalProperties === true) shape.open = true;
    else if (schema.additionalProperties && typeof schema.additionalProperties === 'object')
      shape.additional.push(schema.additionalProperties);
    if (schema['x-kubernetes-preserve-unknown-fields'] === true) shape.open = true;
    if (schema.items && typeof schema.items === 'object') shape.items.push(schema.items);
    for (const key of ['allOf', 'oneOf', 'anyOf'] as const) for (const branch of schema[key] ?? []) visit(branch);
  };
  schemas.forEach(visit);
  return shape;
}

function resolve(doc: object, schema: Schema): Schema {
  let current = schema;
  for (let hops = 0; typeof current.$ref === 'string' && hops < 32; hops++) {
    const target = current.$ref
      .replace(/^#\//, '')
      .split('/')
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>(
        (node, key) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined),
        doc,
      );
    if (!target || typeof target !== 'object') throw new Error(`unresolvable $ref ${current.$ref}`);
    current = target as Schema;
  }
  return current;
}
