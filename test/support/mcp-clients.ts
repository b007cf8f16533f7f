/**
 * Real MCP clients for end-to-end tests: the SDK's Client over stdio (spawning the built CLI)
 * and over streamable HTTP (a real server on an ephemeral port, in this process).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { boot } from '../../src/main/boot.js';
import { runServe, type RunningHttp } from '../../src/main/run-serve.js';
import { exchangeLogEnv } from './exchange-log.js';
import { tempDir } from './test-app.js';

export const CLI = resolve(import.meta.dirname, '../../dist/cli.js');

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does it first)');
}

export interface StdioSession {
  client: Client;
  stderr: () => string;
  close(): Promise<void>;
}

export async function connectStdio(env: Record<string, string> = {}, args: string[] = []): Promise<StdioSession> {
  assertBuilt();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, 'stdio', ...args],
    env: {
      PATH: process.env.PATH ?? '',
      THREESIX_DATA_DIR: tempDir(),
      DEFAULT_DOMAIN: 'example.test',
      ...exchangeLogEnv(),
      ...env,
    },
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk) => (stderr += String(chunk)));
  const client = new Client({ name: 'threesix-e2e', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

export interface HttpServer extends RunningHttp {
  mcpUrl: URL;
}

export async function startHttp(
  env: Record<string, string> = {},
  options: { sandbox?: boolean } = {},
): Promise<HttpServer> {
  const booted = await boot({
    sandbox: options.sandbox ?? false,
    env: {
      THREESIX_DATA_DIR: tempDir(),
      DEFAULT_DOMAIN: 'example.test',
      THREESIX_LOG_LEVEL: 'error',
      ...exchangeLogEnv(),
      ...env,
    },
  });
  const running = await runServe(booted, { host: '127.0.0.1', port: 0 });
  return { ...running, mcpUrl: new URL(`${running.url}/mcp`) };
}

export async function connectHttp(url: URL, headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client({ name: 'threesix-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
  return client;
}
