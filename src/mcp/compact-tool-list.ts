/**
 * @module mcp/compact-tool-list
 * Every agent session pays for tools/list in context before its first call, so the list carries
 * nothing that means nothing. The SDK converts each zod schema on its own (zod's toJSONSchema), and
 * that adds what no client reads: a `$schema` key on every schema, `additionalProperties: false` on
 * every output object, `execution: {taskSupport: "forbidden"}` (the spec's default when absent) and
 * `annotations.title`, a copy of the tool's `title`. This strips those and writes an output object
 * that repeats (a DNS record in a plan, a backend's state in get_project) once under `$defs`. Input
 * schemas keep everything but `$schema`: `additionalProperties: false` there is the promise that an
 * unknown argument is refused (strict-input.ts), and some clients cannot follow `$ref` in inputs.
 * The client validates structuredContent against the output schema as sent (Ajv in the SDK's
 * Client), so test/unit/compact-tool-list.test.ts checks that through a real Client.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ListToolsResult } from '@modelcontextprotocol/sdk/types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type ListHandler = (request: unknown, extra: unknown) => Promise<ListToolsResult> | ListToolsResult;

/** Call after the tools are registered: the SDK installs its tools/list handler with the first. */
export function compactToolList(server: McpServer): void {
  // The handler is the SDK's; only its answer is rewritten, so enabling and disabling tools,
  // and the lazy schemas (lazy-tool-schemas.ts), work as before.
  const handlers = (server.server as unknown as { _requestHandlers: Map<string, ListHandler> })._requestHandlers;
  const listTools = handlers.get('tools/list');
  if (!listTools) return;
  handlers.set('tools/list', async (request, extra) => {
    const result = await listTools(request, extra);
    return { ...result, tools: result.tools.map(compactTool) };
  });
}

export function compactTool(tool: ListToolsResult['tools'][number]): ListToolsResult['tools'][number] {
  const { execution, annotations, ...rest } = tool;
  const compact: typeof tool = { ...rest, inputSchema: compactInputSchema(tool.inputSchema as JsonObject) as typeof tool.inputSchema };
  if (execution && execution.taskSupport !== 'forbidden') compact.execution = execution;
  if (annotations) {
    const { title, ...hints } = annotations;
    compact.annotations = title !== undefined && title !== tool.title ? annotations : hints;
  }
  if (tool.outputSchema) compact.outputSchema = compactOutputSchema(tool.outputSchema as JsonObject) as typeof tool.outputSchema;
  return compact;
}

export function compactInputSchema(schema: JsonObject): JsonObject {
  const { $schema: _ignored, ...rest } = schema;
  return rest;
}

export function compactOutputSchema(schema: JsonObject): JsonObject {
  const { $schema: _ignored, ...rest } = schema;
  return shareRepeatedObjects(withoutClosedObjects(rest) as JsonObject);
}

/** An output object may gain a field without breaking a client; only the schema said otherwise. */
function withoutClosedObjects(node: Json): Json {
  if (Array.isArray(node)) return node.map(withoutClosedObjects);
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'additionalProperties' && value === false) continue;
    out[key] = key === 'properties' && isObject(value) ? mapValues(value, withoutClosedObjects) : withoutClosedObjects(value);
  }
  return out;
}

/**
 * Moves the object schema whose repeats cost most into `$defs` and points each place at it, until
 * no repeat is worth a `$ref`. Equality ignores `description`, which stays beside the `$ref`.
 */
function shareRepeatedObjects(root: JsonObject): JsonObject {
  let defs: JsonObject = {};
  let schema = root;
  for (;;) {
    // Shapes already moved count too: one may hold a repeat of a smaller one.
    const best = costliestRepeat([schema, ...(Object.values(defs) as JsonObject[])]);
    if (!best) break;
    const name = uniqueName(best.name, defs);
    const ref = `#/$defs/${name}`;
    schema = replaceShape(schema, best.key, ref) as JsonObject;
    defs = mapValues(defs, def => replaceShape(def, best.key, ref));
    defs[name] = best.shape;
  }
  return Object.keys(defs).length ? { ...schema, $defs: defs } : schema;
}

interface Repeat {
  key: string;
  shape: JsonObject;
  name: string;
  depth: number;
  count: number;
}

function costliestRepeat(roots: JsonObject[]): Repeat | undefined {
  const seen = new Map<string, Repeat>();
  // Named after the field nearest the top that holds it (upsert_dns's `record`, not a plan's `create`).
  const visit = (node: Json, name: string, depth: number): void => {
    if (Array.isArray(node)) return node.forEach(item => visit(item, name, depth));
    if (!isObject(node)) return;
    if (node.type === 'object' && isObject(node.properties)) {
      const { description: _d, ...shape } = node;
      const key = JSON.stringify(shape);
      const repeat = seen.get(key);
      if (repeat) Object.assign(repeat, { count: repeat.count + 1 }, depth < repeat.depth ? { name, depth } : {});
      else seen.set(key, { key, shape, name, depth, count: 1 });
    }
    for (const [key, value] of Object.entries(node)) {
      if (key === 'properties' && isObject(value)) for (const [field, child] of Object.entries(value)) visit(child, field, depth + 1);
      else visit(value, name, depth);
    }
  };
  roots.forEach(root => visit(root, 'shape', 0));
  const saving = (r: Repeat) => (r.count - 1) * r.key.length - r.count * `{"$ref":"#/$defs/${r.name}"}`.length;
  return [...seen.values()].filter(r => r.count > 1 && saving(r) > 0).sort((a, b) => saving(b) - saving(a))[0];
}

function replaceShape(node: Json, key: string, ref: string): Json {
  if (Array.isArray(node)) return node.map(item => replaceShape(item, key, ref));
  if (!isObject(node)) return node;
  const { description, ...shape } = node;
  if (node.type === 'object' && JSON.stringify(shape) === key) return description === undefined ? { $ref: ref } : { $ref: ref, description };
  const out: JsonObject = {};
  for (const [k, value] of Object.entries(node)) {
    out[k] = k === 'properties' && isObject(value) ? mapValues(value, child => replaceShape(child, key, ref)) : replaceShape(value, key, ref);
  }
  return out;
}

function uniqueName(name: string, taken: JsonObject): string {
  let candidate = name;
  for (let n = 2; candidate in taken; n++) candidate = `${name}${n}`;
  return candidate;
}

function mapValues(object: JsonObject, fn: (value: Json) => Json): JsonObject {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)]));
}

function isObject(node: Json | undefined): node is JsonObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}
