/**
 * The MCP SDK internals threesix relies on (src/mcp/sdk-internals.ts, compact-tool-list.ts, and the
 * module replacements of scripts/build-stubs/), checked against the installed SDK. An SDK upgrade
 * that renames, removes or stops reading any of them fails here by name, instead of silently
 * changing error texts, building every schema at start, or dropping a stub from the build.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AnyTool } from '../../src/mcp/define-tool.js';
import { attachLazySchemas, rewriteSdkToolErrors } from '../../src/mcp/sdk-internals.js';
import { like } from '../support/matchers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const SDK_ESM = join(ROOT, 'node_modules/@modelcontextprotocol/sdk/dist/esm');

async function connect(server: McpServer): Promise<Client> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'sdk-internals-test', version: '0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  return client;
}

/** A tool registered the way create-server.ts does: no schemas at registration, lazy ones attached. */
function lazyTool(server: McpServer, built: string[]) {
  const tool = {
    input: () => (built.push('input'), { name: z.string() }),
    output: () => (built.push('output'), { greeting: z.string() }),
  } as unknown as AnyTool;
  const registered = server.registerTool('greet', { description: 'greets' }, ((input: { name: string }) =>
    Promise.resolve({
      content: [{ type: 'text', text: `hello ${input.name}` }],
      structuredContent: { greeting: `hello ${input.name}` },
    })) as never);
  attachLazySchemas(registered, tool);
}

describe('MCP SDK internals (see src/mcp/sdk-internals.ts)', () => {
  it('McpServer still reports its own tools/call failures through the private createToolError, which we rewrite', async () => {
    expect(typeof (McpServer.prototype as unknown as { createToolError?: unknown }).createToolError).toBe('function');
    const server = new McpServer({ name: 't', version: '0' });
    lazyTool(server, []);
    rewriteSdkToolErrors(server, (message) => `REWRITTEN: ${message}`);
    const client = await connect(server);
    const unknown = await client.callTool({ name: 'nope', arguments: {} });
    expect(unknown).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: like.stringMatching(/^REWRITTEN: .*nope/) }],
    });
    const invalid = await client.callTool({ name: 'greet', arguments: { name: 42 } });
    expect(invalid).toMatchObject({
      isError: true,
      content: [{ type: 'text', text: like.stringMatching(/^REWRITTEN: /) }],
    });
  });

  it("McpServer reads a tool's schemas only when it lists or calls it, and uses the lazy ones (strict input, output checked)", async () => {
    const built: string[] = [];
    const server = new McpServer({ name: 't', version: '0' });
    lazyTool(server, built);
    const client = await connect(server);
    expect(built).toEqual([]);
    const { tools } = await client.listTools();
    expect(built.sort()).toEqual(['input', 'output']);
    expect(tools[0]).toMatchObject({
      inputSchema: {
        type: 'object',
        properties: { name: { type: 'string' } },
        required: ['name'],
        additionalProperties: false,
      },
      outputSchema: { type: 'object', properties: { greeting: { type: 'string' } } },
    });
    expect(await client.callTool({ name: 'greet', arguments: { name: 'ada' } })).toMatchObject({
      structuredContent: { greeting: 'hello ada' },
    });
    expect(await client.callTool({ name: 'greet', arguments: { name: 'ada', extra: 1 } })).toMatchObject({
      isError: true,
    });
  });

  it('the SDK Server keeps its request handlers in the private _requestHandlers map (compact-tool-list.ts wraps tools/list there)', () => {
    const server = new McpServer({ name: 't', version: '0' });
    lazyTool(server, []);
    const handlers = (server.server as unknown as { _requestHandlers?: unknown })._requestHandlers;
    expect(handlers).toBeInstanceOf(Map);
    expect((handlers as Map<string, unknown>).has('tools/list')).toBe(true);
  });
});

describe('build stubs (scripts/build-stubs/) still replace what the SDK imports', () => {
  const sdkFiles = jsFiles(SDK_ESM).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
  const importedNames = (pattern: RegExp) =>
    new Set(
      sdkFiles.flatMap(({ text }) =>
        [...text.matchAll(pattern)].flatMap((m) =>
          m[1]!
            .split(',')
            .map((n) => n.trim().split(/\s+as\s+/)[0]!)
            .filter(Boolean),
        ),
      ),
    );
  const stub = (name: string) => import(join(ROOT, 'scripts/build-stubs', name)) as Promise<Record<string, unknown>>;

  it('ajv-provider.js: the SDK imports only names the stub exports', async () => {
    const names = importedNames(/import\s*\{([^}]*)\}\s*from\s*'\.\.\/validation\/ajv-provider\.js'/g);
    expect(
      [...names],
      'no SDK module imports validation/ajv-provider.js any more: the build filter matches nothing',
    ).not.toEqual([]);
    const exported = Object.keys(await stub('ajv-provider.js'));
    expect([...names].filter((n) => !exported.includes(n))).toEqual([]);
  });

  it('zod-to-json-schema.js: the SDK imports only names the stub exports', async () => {
    const names = importedNames(/import\s*\{([^}]*)\}\s*from\s*'zod-to-json-schema'/g);
    expect([...names], 'no SDK module imports zod-to-json-schema any more').not.toEqual([]);
    const exported = Object.keys(await stub('zod-to-json-schema.js'));
    expect([...names].filter((n) => !exported.includes(n))).toEqual([]);
  });

  it('zod-v3.js: every zod 3 member the SDK touches is in the stub', async () => {
    const namespaces = sdkFiles.flatMap(({ text }) =>
      [...text.matchAll(/import \* as (\w+) from 'zod\/v3'/g)].map((m) => ({ text, alias: m[1]! })),
    );
    expect(namespaces, 'no SDK module imports zod/v3 as a namespace any more').not.toEqual([]);
    expect(
      sdkFiles.filter(({ text }) => /import\s*\{[^}]*\}\s*from\s*'zod\/v3'/.test(text)).map((f) => f.file),
    ).toEqual([]);
    const used = new Set(
      namespaces.flatMap(({ text, alias }) =>
        [...text.matchAll(new RegExp(`\\b${alias}\\.(\\w+)`, 'g'))].map((m) => m[1]!),
      ),
    );
    const exported = Object.keys(await stub('zod-v3.js'));
    expect([...used].filter((n) => !exported.includes(n))).toEqual([]);
  });

  it('zod-locales.js: zod still loads its locales through locales/index.js, and English is where the stub takes it from', async () => {
    expect(readFileSync(join(ROOT, 'node_modules/zod/v4/classic/external.js'), 'utf8')).toMatch(
      /from "\.\.\/locales\/index\.js"/,
    );
    expect(typeof (await stub('zod-locales.js')).en).toBe('function');
  });
});

function jsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return jsFiles(path);
    return path.endsWith('.js') ? [path] : [];
  });
}
