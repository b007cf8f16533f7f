/**
 * `serve --sandbox` in the test process with a real MCP client over HTTP: the stand-ins, the HTTP
 * listener CI's notify step calls back into (THREESIX_PUBLIC_URL points at it) and `call`, which
 * returns a tool's structuredContent plus its text content (`text`), throwing on a tool error.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { boot, type Booted } from '../../src/main/boot.js';
import { runServe, type RunningHttp } from '../../src/main/run-serve.js';
import { freePort } from '../../src/main/webhook-listener.js';
import { exchangeLogEnv } from './exchange-log.js';
import { connectHttp } from './mcp-clients.js';
import { tempDir } from './test-app.js';

/** A tool's structuredContent: each tool answers its own shape; a test narrows it to the fields it asserts. */
export type Structured = Record<string, unknown>;

export interface SandboxServer {
  booted: Booted;
  http: RunningHttp;
  client: Client;
  call(name: string, args: Record<string, unknown>): Promise<Structured>;
  close(): Promise<void>;
}

export async function startSandboxServer(env: Record<string, string> = {}): Promise<SandboxServer> {
  const port = await freePort('127.0.0.1');
  const booted = await boot({
    sandbox: true,
    env: {
      ...exchangeLogEnv(),
      THREESIX_DATA_DIR: tempDir(),
      DEFAULT_DOMAIN: 'example.test',
      THREESIX_LOG_LEVEL: 'error',
      THREESIX_PUBLIC_URL: `http://127.0.0.1:${port}`,
      THREESIX_DEPLOY_WAIT_S: '20',
      ...env,
    },
  });
  const http = await runServe(booted, { host: '127.0.0.1', port });
  const client = await connectHttp(new URL(`${http.url}/mcp`));
  return {
    booted,
    http,
    client,
    async call(name, args) {
      const result = await client.callTool({ name, arguments: args });
      if (result.isError) throw new Error((result.content as Array<{ text: string }>)[0]!.text);
      return { ...(result.structuredContent as Structured), text: JSON.stringify(result.content) };
    },
    async close() {
      await client.close();
      await http.close();
    },
  };
}
