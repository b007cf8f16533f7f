// The floor for cold start: a bare Node process that answers `initialize` and `tools/list` by hand,
// with no SDK, no zod and no database. Nothing real can start faster than this.
import { createInterface } from 'node:readline';

const rl = createInterface({ input: process.stdin });
rl.on('line', (line) => {
  const message = JSON.parse(line);
  if (message.method === 'initialize') {
    process.stdout.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { protocolVersion: message.params.protocolVersion, capabilities: { tools: {} }, serverInfo: { name: 'floor', version: '0' } } })}\n`,
    );
  } else if (message.method === 'tools/list') {
    process.stdout.write(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { tools: [] } })}\n`);
  }
});
rl.on('close', () => process.exit(0));
