/**
 * Tools take closed inputs: an argument a tool does not take is refused with INVALID_INPUT naming
 * it (and the field meant, when one plainly is), and nothing runs. Over real HTTP with the SDK's
 * real client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { closestField } from '../../src/mcp/strict-input.js';
import { connectHttp, startHttp, type HttpServer } from '../support/mcp-clients.js';

const text = (result: Awaited<ReturnType<Client['callTool']>>) => (result.content as Array<{ text: string }>)[0]!.text;

describe('unknown tool arguments', () => {
  let server: HttpServer;
  let client: Client;
  beforeAll(async () => {
    server = await startHttp({}, { sandbox: true });
    client = await connectHttp(server.mcpUrl);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('lists every input schema as closed (additionalProperties: false)', async () => {
    const { tools } = await client.listTools();
    for (const tool of tools) expect(tool.inputSchema, tool.name).toMatchObject({ additionalProperties: false });
  });

  it('refuses a misspelt optional argument instead of ignoring it, and changes nothing', async () => {
    const result = await client.callTool({ name: 'create_project', arguments: { name: 'typo-app', dryrun: false } });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/^INVALID_INPUT: .*unknown field "dryrun" \(did you mean "dryRun"\?\)/);
    const list = await client.callTool({ name: 'list_projects', arguments: {} });
    expect(JSON.stringify(list.structuredContent)).not.toContain('typo-app');
  });

  it('names the field a tool takes when the caller used another name for it', async () => {
    const { tools } = await client.listTools();
    // Whichever name a project-scoped read tool uses, the other one is refused with a pointer to it.
    for (const name of ['get_project', 'deploy_status']) {
      const tool = tools.find((t) => t.name === name)!;
      const takes = Object.keys(tool.inputSchema.properties ?? {});
      const wrong = takes.includes('project') ? 'name' : 'project';
      const result = await client.callTool({ name, arguments: { [wrong]: 'shop' } });
      expect(result.isError).toBe(true);
      expect(text(result)).toContain(`unknown field "${wrong}" (did you mean "${takes[0]}"?)`);
    }
  });

  it('suggests only what is plausible', () => {
    expect(closestField('projcet', ['project', 'limit'], ['projcet'])).toBe('project');
    expect(closestField('colour', ['project', 'limit'], ['colour', 'project', 'limit'])).toBeUndefined();
    expect(closestField('x', ['a', 'b'], ['x'])).toBeUndefined();
  });
});
