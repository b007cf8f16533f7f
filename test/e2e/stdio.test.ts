import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectStdio, type StdioSession } from '../support/mcp-clients.js';

describe('MCP over stdio (spawned CLI, real SDK client)', () => {
  let session: StdioSession;
  beforeAll(async () => {
    session = await connectStdio();
  });
  afterAll(async () => {
    await session?.close();
  });

  it('lists tools with names, all four annotations and schemas', async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['list_projects', 'get_project']));
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      for (const hint of ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const) {
        expect(typeof tool.annotations?.[hint], `${tool.name}.${hint}`).toBe('boolean');
      }
    }
  });

  it('reads the server resource, which names backends and holds no secret', async () => {
    const result = await session.client.readResource({ uri: 'threesix://server' });
    const info = JSON.parse(String((result.contents[0] as { text: string }).text)) as {
      backends: Array<{ name: string }>;
    };
    expect(info).toMatchObject({ name: 'threesix', domain: 'example.test', readOnly: false });
    expect(info.backends.map((b) => b.name).sort()).toEqual(['ci', 'deployer', 'dns', 'git', 'registry']);
  });

  it('answers a failing tool call with CODE: message. hint', async () => {
    const result = await session.client.callTool({ name: 'get_project', arguments: { project: 'missing' } });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0]!.text).toMatch(
      /^NOT_FOUND: project "missing" does not exist\. .+/,
    );
  });

  it('rewrites schema failures into INVALID_INPUT', async () => {
    const result = await session.client.callTool({ name: 'list_projects', arguments: { limit: 'many' } });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0]!.text).toMatch(/^INVALID_INPUT: /);
  });

  it('returns structuredContent matching the output schema', async () => {
    const result = await session.client.callTool({ name: 'list_projects', arguments: {} });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ projects: [], total: 0 });
  });

  it('keeps stdout for the protocol: logs are JSON lines on stderr', () => {
    const lines = session.stderr().trim().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect((): unknown => JSON.parse(line)).not.toThrow();
  });
});

describe('read-only mode over stdio', () => {
  it('registers only read-only tools', async () => {
    const session = await connectStdio({ THREESIX_READ_ONLY: '1' });
    try {
      const { tools } = await session.client.listTools();
      expect(tools.length).toBeGreaterThan(0);
      expect(tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
    } finally {
      await session.close();
    }
  });
});
