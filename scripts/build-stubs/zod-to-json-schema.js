// Build-time stand-in for 'zod-to-json-schema', which the MCP SDK uses for zod 3 schemas only.
export function zodToJsonSchema() {
  throw new Error('zod 3 schemas are not supported in this build');
}
export default zodToJsonSchema;
