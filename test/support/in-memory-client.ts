/**
 * A real SDK Client linked to a real McpServer in this process (no socket), for tests that need
 * the wire view of the server without spawning it.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { buildCatalog } from '../../src/main/catalog.js';
import { createMcpServer, type Catalog } from '../../src/mcp/create-server.js';
import type { AppContext } from '../../src/services/shared/app-context.js';

export async function connectInMemory(app: AppContext, catalog: Catalog = buildCatalog(app.config)): Promise<Client> {
  const server = createMcpServer(app, catalog);
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'threesix-test', version: '1.0.0' });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  return client;
}
