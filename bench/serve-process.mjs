// Starts the built server (`dist/cli.js serve`) as its own process on an ephemeral loopback port
// and connects MCP SDK clients to it, so the load generator does not share the server's event loop.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const CLI = resolve(import.meta.dirname, '../dist/cli.js');
const START_TIMEOUT_MS = 20_000;

/** A loopback port free right now, for a server whose own URL must be known before it starts (THREESIX_PUBLIC_URL). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

export async function startServe({ env = {}, sandbox = true, port = 0 } = {}) {
  const child = spawn(
    process.execPath,
    [CLI, 'serve', ...(sandbox ? ['--sandbox'] : []), '--host', '127.0.0.1', '--port', String(port)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH, THREESIX_LOG_LEVEL: 'info', ...env },
    },
  );
  let stderr = '';
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`serve did not start in ${START_TIMEOUT_MS} ms:\n${stderr.slice(-2000)}`)),
      START_TIMEOUT_MS,
    );
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
      const line = stderr.split('\n').find((l) => l.includes('"http server listening"'));
      if (line) {
        clearTimeout(timer);
        resolveUrl(JSON.parse(line).url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited (${code}) before listening:\n${stderr.slice(-2000)}`));
    });
  });
  // Keep draining stderr so a chatty server never blocks on a full pipe.
  child.stderr.on('data', () => undefined);
  return {
    url,
    mcpUrl: new URL(`${url}/mcp`),
    pid: child.pid,
    stop: () =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(killer);
          resolveStop();
        });
        child.kill('SIGTERM');
      }),
  };
}

export async function connectClient(mcpUrl) {
  const client = new Client({ name: 'threesix-bench', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(mcpUrl));
  return client;
}

/** Calls a tool and fails loudly on a tool error, so a benchmark never times error answers. */
export async function callTool(client, name, args) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${result.content?.[0]?.text ?? 'no text'}`);
  return result;
}
