/**
 * @module mcp/compact-tool-list
 * Every agent session pays for tools/list in context before its first call, so the list carries
 * nothing that means nothing. The SDK converts each zod schema on its own (zod's toJSONSchema), and
 * that adds what no client reads: a `$schema` key on every schema, `additionalProperties: false` on
 * every output object, integer bounds at JavaScript's safe range, a UUID's regular expression next to
 * its format, a record's string keys, `execution: {taskSupport: "forbidden"}` (the spec's default
 * when absent) and `annotations.title`, a copy of the tool's `title`. Output schemas are sent one level deep
 * (compactOutputSchema says why). Inputs stay closed (`additionalProperties: false`): an unknown
 * argument is refused (strict-input.ts).
 *
 * Checked and left out: sharing a repeated output object through `$ref` into `$defs` works (the
 * SDK Client's Ajv follows it), but across tools nothing can be shared, since each tool's schema
 * stands alone, and one level deep leaves nothing inside a tool to share. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ListToolsResult } from '@modelcontextprotocol/sdk/types.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
type ListHandler = (request: unknown, extra: unknown) => Promise<ListToolsResult> | ListToolsResult;

/** Call after the tools are registered: the SDK installs its tools/list handler with the first. */
export function compactToolList(server: McpServer): void {
  // The handler is the SDK's; only its answer is rewritten, so enabling and disabling tools,
  // and the lazy schemas (sdk-internals.ts), work as before.
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
  const compact: typeof tool = {
    ...rest,
    inputSchema: compactInputSchema(tool.inputSchema as JsonObject) as typeof tool.inputSchema,
  };
  if (execution && execution.taskSupport !== 'forbidden') compact.execution = execution;
  if (annotations) {
    const { title, ...hints } = annotations;
    compact.annotations = title !== undefined && title !== tool.title ? annotations : hints;
  }
  if (tool.outputSchema)
    compact.outputSchema = compactOutputSchema(tool.outputSchema as JsonObject) as typeof tool.outputSchema;
  return compact;
}

export function compactInputSchema(schema: JsonObject): JsonObject {
  const { $schema: _ignored, ...rest } = schema;
  return withoutNoise(rest) as JsonObject;
}

/**
 * An output schema names every field of structuredContent with its type; a field that holds an
 * object, or a list of them, is sent as `object` or `array` with its description, not spelled out
 * field by field, and `required` is left out. The server still checks each answer against the whole
 * zod schema before sending it, and the answer itself shows the nested fields and which are there;
 * spelled out, nested fields were most of the list's size (get_project's alone was 6 KB) and the
 * `required` lists, which repeat every field's name, a sixth of what was left.
 */
export function compactOutputSchema(schema: JsonObject): JsonObject {
  const { $schema: _ignored, required: _required, ...rest } = withoutNoise(schema, true) as JsonObject;
  return isObject(rest.properties)
    ? { ...rest, properties: mapValues(rest.properties, (field) => outline(field as JsonObject)) }
    : rest;
}

/** A field's schema with any object in it reduced to its type (a nullable one to `["object", "null"]`). */
function outline(field: JsonObject): JsonObject {
  if (Array.isArray(field.anyOf)) {
    const branches = field.anyOf;
    if (
      !branches.every((b) => isObject(b) && typeof b.type === 'string') ||
      branches.every((b) => isShallow(b as JsonObject))
    )
      return field;
    const { anyOf: _a, ...rest } = field;
    return { ...rest, type: branches.map((b) => (b as JsonObject).type as string) };
  }
  if (isShallow(field)) return field;
  const { properties: _p, required: _r, additionalProperties: _x, propertyNames: _n, items: _i, ...rest } = field;
  return rest;
}

/** A schema with no object inside it (a string, a number, an enum, a list of strings). */
function isShallow(schema: JsonObject): boolean {
  if (schema.type === 'object') return false;
  if (schema.type === 'array') return !isObject(schema.items) || isShallow(schema.items);
  return true;
}

/**
 * zod writes what means nothing to a client: an integer's bounds at ±(2^53-1), JavaScript's safe
 * range, a UUID's regular expression beside `format: "uuid"`, and `propertyNames: {type: "string"}`
 * on a record (JSON keys are strings). In an output, closed objects lose `additionalProperties:
 * false` too: an answer may gain a field without breaking a client.
 */
function withoutNoise(node: Json, open = false): Json {
  if (Array.isArray(node)) return node.map((item) => withoutNoise(item, open));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'minimum' || key === 'maximum') && Math.abs(value as number) === Number.MAX_SAFE_INTEGER) continue;
    if (key === 'pattern' && node.format === 'uuid') continue;
    if (key === 'propertyNames' && JSON.stringify(value) === '{"type":"string"}') continue;
    if (open && key === 'additionalProperties' && value === false) continue;
    out[key] =
      key === 'properties' && isObject(value)
        ? mapValues(value, (field) => withoutNoise(field, open))
        : withoutNoise(value, open);
  }
  return out;
}

function mapValues(object: JsonObject, fn: (value: Json) => Json): JsonObject {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, fn(value)]));
}

function isObject(node: Json | undefined): node is JsonObject {
  return typeof node === 'object' && node !== null && !Array.isArray(node);
}
