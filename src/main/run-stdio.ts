/**
 * @module main/run-stdio
 * `threesix-mcp stdio`: the protocol owns stdout; everything else goes to stderr.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createMcpServer } from '../mcp/create-server.js';
import { startBackground, type Booted } from './boot.js';
import { backgroundTasks } from './background.js';
import { buildCatalog } from './catalog.js';
import { serverHooks } from './server-hooks.js';

export async function runStdio(booted: Booted): Promise<void> {
  const server = createMcpServer(booted.app, buildCatalog(booted.config), serverHooks(booted.app));
  const transport = new StdioServerTransport();
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close().catch(() => undefined);
    await booted.shutdown();
    process.exit(0);
  };
  transport.onclose = () => void stop();
  process.stdin.on('end', () => void stop());
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  await server.connect(transport);
  startBackground(booted, backgroundTasks);
  // After the first messages are handled: opening stderr would otherwise delay the `initialize` answer.
  setImmediate(() => booted.logger.info('stdio server ready', { sandbox: booted.sandbox?.simulated ?? [] }));
}
