/**
 * Tool schemas are built when a client first lists or calls tools, not when the server starts
 * (cold start), and once: listing again or calling reuses them, and validation still applies.
 */
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineTool } from '../../src/mcp/define-tool.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { createTestApp } from '../support/test-app.js';

function countingTool() {
  const built = { input: 0, output: 0 };
  const tool = defineTool({
    name: 'echo_name',
    title: 'Test: Echo',
    description: 'Echoes a name (test tool).',
    toolset: 'project',
    input: () => {
      built.input++;
      return { name: z.string().min(2).describe('A name') };
    },
    output: () => {
      built.output++;
      return { echoed: z.string().describe('The name') };
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler(input) {
      return Promise.resolve({ summary: `Echoed ${input.name}.`, data: { echoed: input.name } });
    },
  });
  return { tool, built };
}

describe('lazy tool schemas', () => {
  it('builds no schema before tools/list, then each once, and validates calls with them', async () => {
    const { tool, built } = countingTool();
    const app = await createTestApp();
    const client = await connectInMemory(app, { tools: [tool], resources: [], prompts: [] });
    expect(built).toEqual({ input: 0, output: 0 }); // initialize is answered by now

    const { tools } = await client.listTools();
    expect(tools[0]!.inputSchema).toMatchObject({
      type: 'object',
      properties: { name: { type: 'string', minLength: 2, description: 'A name' } },
      required: ['name'],
    });
    expect(tools[0]!.outputSchema).toMatchObject({ type: 'object', properties: { echoed: { type: 'string' } } });
    await client.listTools();

    const ok = CallToolResultSchema.parse(await client.callTool({ name: 'echo_name', arguments: { name: 'shop' } }));
    expect(ok.structuredContent).toEqual({ echoed: 'shop' });
    const bad = CallToolResultSchema.parse(await client.callTool({ name: 'echo_name', arguments: { name: 'x' } }));
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain('INVALID_INPUT');
    expect(built).toEqual({ input: 1, output: 1 });
    await client.close();
  });

  it('validates a call that comes before any tools/list', async () => {
    const { tool } = countingTool();
    const client = await connectInMemory(await createTestApp(), { tools: [tool], resources: [], prompts: [] });
    const bad = CallToolResultSchema.parse(await client.callTool({ name: 'echo_name', arguments: {} }));
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain('INVALID_INPUT');
    await client.close();
  });
});
