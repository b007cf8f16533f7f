/**
 * What compact-tool-list.ts sends must still be what a real SDK Client accepts: it validates every
 * structuredContent against the output schema from tools/list (Ajv), so a `$ref` into `$defs` must
 * resolve, and a wrong answer must still be refused through it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compactToolList } from '../../src/mcp/compact-tool-list.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { createTestApp } from '../support/test-app.js';

const record = z.object({ name: z.string(), type: z.string(), content: z.string(), ttl: z.number(), proxied: z.boolean() });

async function serverWithPlan(answer: unknown): Promise<Client> {
  const server = new McpServer({ name: 't', version: '1' });
  server.registerTool(
    'plan',
    {
      title: 'Plan',
      description: 'A plan',
      inputSchema: { name: z.string() },
      outputSchema: { create: z.array(record), update: z.array(z.object({ from: record, to: record.describe('After') })), delete: z.array(record) },
      annotations: { title: 'Plan', readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async () => ({ content: [{ type: 'text', text: 'ok' }], structuredContent: answer as Record<string, unknown> }),
  );
  compactToolList(server);
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test', version: '1' });
  await Promise.all([server.connect(b), client.connect(a)]);
  return client;
}

const rec = { name: 'a.example.test', type: 'A', content: '192.0.2.1', ttl: 1, proxied: false };

describe('compact tools/list', () => {
  it('writes a repeated output object once under $defs and drops what no client reads', async () => {
    const client = await serverWithPlan({ create: [rec], update: [], delete: [] });
    const [tool] = (await client.listTools()).tools;
    const text = JSON.stringify(tool);
    expect(text).not.toContain('$schema');
    expect(text).not.toContain('execution');
    expect(tool!.annotations).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
    expect(text.match(/"ttl":\{/g)).toHaveLength(1);
    expect(tool!.outputSchema!.$defs).toBeDefined();
    expect(JSON.stringify(tool!.outputSchema)).toContain('"description":"After"');
  });

  it('the client follows the $ref: a right answer passes, and its validator refuses a wrong one inside the shared shape', async () => {
    const client = await serverWithPlan({ create: [], update: [{ from: rec, to: rec }], delete: [] });
    const [tool] = (await client.listTools()).tools;
    expect((await client.callTool({ name: 'plan', arguments: { name: 'x' } })).structuredContent).toMatchObject({ update: [{ to: rec }] });
    // The server checks its answer with zod first, so a wrong one never reaches the client; ask
    // the client's own validator (the SDK's Ajv setup) directly.
    const validate = new AjvJsonSchemaValidator().getValidator(tool!.outputSchema as never);
    expect(validate({ create: [], update: [{ from: rec, to: rec }], delete: [] }).valid).toBe(true);
    expect(validate({ create: [], update: [{ from: rec, to: { ...rec, ttl: 'auto' } }], delete: [] })).toMatchObject({ valid: false, errorMessage: expect.stringContaining('ttl') });
  });

  it('every threesix tool keeps an output schema and all four hints, with no $schema key', async () => {
    const client = await connectInMemory(await createTestApp());
    const { tools } = await client.listTools();
    for (const tool of tools) {
      expect(tool.outputSchema, tool.name).toBeDefined();
      // Inputs stay closed: an unknown argument is refused, and the schema says so.
      expect(tool.inputSchema, tool.name).toMatchObject({ type: 'object', additionalProperties: false });
      expect(Object.keys(tool.annotations ?? {}).sort(), tool.name).toEqual(['destructiveHint', 'idempotentHint', 'openWorldHint', 'readOnlyHint']);
    }
    expect(JSON.stringify(tools)).not.toContain('$schema');
  });
});
