/**
 * What compact-tool-list.ts sends must still be what a real SDK Client accepts: it validates every
 * structuredContent against the output schema from tools/list (Ajv), so the outline must pass a
 * right answer and still refuse a wrong one.
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

const record = z.object({ name: z.string(), ttl: z.number().int() });
const output = {
  fqdn: z.string().describe('Fully qualified'),
  count: z.number().int(),
  record: record.describe('The record'),
  previous: record.nullable(),
  plan: z.array(record),
  removed: z.array(z.string()),
};

async function connect(answer: unknown): Promise<Client> {
  const server = new McpServer({ name: 't', version: '1' });
  server.registerTool(
    'plan',
    {
      title: 'Plan',
      description: 'A plan',
      inputSchema: { id: z.string().uuid().describe('Id'), limit: z.number().int().describe('Limit') },
      outputSchema: output,
      annotations: {
        title: 'Plan',
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    () => ({ content: [{ type: 'text', text: 'ok' }], structuredContent: answer as Record<string, unknown> }),
  );
  compactToolList(server);
  const [a, b] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test', version: '1' });
  await Promise.all([server.connect(b), client.connect(a)]);
  return client;
}

const rec = { name: 'a.example.test', ttl: 1 };
const answer = { fqdn: 'a.example.test', count: 1, record: rec, previous: null, plan: [rec], removed: ['x'] };

describe('compact tools/list', () => {
  it('outlines nested objects, keeps every field with its type, and drops what no client reads', async () => {
    const [tool] = (await (await connect(answer)).listTools()).tools;
    const text = JSON.stringify(tool);
    for (const noise of ['$schema', 'execution', '9007199254740991', 'pattern']) expect(text).not.toContain(noise);
    expect(tool!.annotations).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(tool!.outputSchema).toEqual({
      type: 'object',
      properties: {
        fqdn: { type: 'string', description: 'Fully qualified' },
        count: { type: 'integer' },
        record: { type: 'object', description: 'The record' },
        previous: { type: ['object', 'null'] },
        plan: { type: 'array' },
        removed: { type: 'array', items: { type: 'string' } },
      },
    });
    expect(tool!.inputSchema.properties).toEqual({
      id: { type: 'string', format: 'uuid', description: 'Id' },
      limit: { type: 'integer', description: 'Limit' },
    });
  });

  it('the client accepts a right answer, and its validator refuses a wrong type', async () => {
    const client = await connect(answer);
    const [tool] = (await client.listTools()).tools;
    expect(
      (await client.callTool({ name: 'plan', arguments: { id: '6f1c2a3e-4b5d-4e6f-8a7b-9c0d1e2f3a4b', limit: 1 } }))
        .structuredContent,
    ).toEqual(answer);
    // The server checks its answer with zod first, so a wrong one never reaches the client; ask
    // the client's own validator (the SDK's Ajv setup) directly.
    const validate = new AjvJsonSchemaValidator().getValidator(tool!.outputSchema as never);
    expect(validate(answer).valid).toBe(true);
    expect(validate({ ...answer, previous: 'none' }).valid).toBe(false);
    expect(validate({ ...answer, count: 1.5 }).valid).toBe(false);
  });

  it('every threesix tool keeps an output schema, all four hints and closed inputs, with no $schema key', async () => {
    const client = await connectInMemory(await createTestApp());
    const { tools } = await client.listTools();
    for (const tool of tools) {
      expect(tool.outputSchema, tool.name).toBeDefined();
      // Inputs stay closed: an unknown argument is refused, and the schema says so.
      expect(tool.inputSchema, tool.name).toMatchObject({ type: 'object', additionalProperties: false });
      expect(Object.keys(tool.annotations ?? {}).sort(), tool.name).toEqual([
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
        'readOnlyHint',
      ]);
    }
    expect(JSON.stringify(tools)).not.toContain('$schema');
  });
});
