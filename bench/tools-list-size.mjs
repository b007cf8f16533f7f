// Size of `tools/list` over stdio from the built `dist/cli.js`: the JSON of the tools array, which
// every agent session carries in context before its first call, beside the figures measured for
// two Kubernetes MCP servers (neither sends output schemas). test/e2e/tools-size.test.ts holds the
// budget; this prints where threesix stands.
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { fmt, onJsonLines, printTable } from './lib.mjs';
import { removeTempDirs, tempDataDir } from './temp-dirs.mjs';

const ROOT = resolve(import.meta.dirname, '..');
const BUDGET_PER_TOOL = 1024;
// Measured side by side for the "Agent fit" issue: tools/list JSON of each server's default set.
const PEERS = [
  { subject: 'kubernetes-mcp-server', tools: 20, bytes: 24.3 * 1024, outputSchemas: 0 },
  { subject: 'mcp-server-kubernetes', tools: 23, bytes: 23.9 * 1024, outputSchemas: 0 },
];

function listTools() {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(ROOT, 'dist/cli.js'), 'stdio'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { PATH: process.env.PATH, THREESIX_DATA_DIR: tempDataDir() },
    });
    let tools;
    onJsonLines(child.stdout, (message) => {
      if (message.id === 1) {
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`);
        child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`);
      } else if (message.id === 2) {
        tools = message.result.tools;
        child.stdin.end();
      }
    });
    child.on('exit', () =>
      tools ? resolvePromise(tools) : reject(new Error('dist/cli.js stdio exited before answering tools/list')),
    );
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } } })}\n`,
    );
  });
}

export async function toolsListSize() {
  const tools = await listTools();
  const bytes = Buffer.byteLength(JSON.stringify(tools));
  const outputSchemas = tools.reduce(
    (sum, t) => sum + (t.outputSchema ? Buffer.byteLength(JSON.stringify(t.outputSchema)) : 0),
    0,
  );
  const rows = [{ subject: 'threesix', tools: tools.length, bytes, outputSchemas }, ...PEERS].map((r) => ({
    subject: r.subject,
    tools: r.tools,
    'tools/list KB': fmt(r.bytes / 1024),
    'KB a tool': fmt(r.bytes / 1024 / r.tools, 2),
    'output schemas KB': fmt(r.outputSchemas / 1024),
  }));
  printTable('tools/list size (JSON of the tools array; peers as measured for the Agent fit issue)', rows);
  const perTool = bytes / tools.length;
  process.stdout.write(
    `target: ≤ ${fmt(BUDGET_PER_TOOL / 1024)} KB a tool, output schemas and all four annotations included → ${perTool <= BUDGET_PER_TOOL ? 'met' : 'NOT met'} (${fmt(perTool / 1024, 2)} KB)\n`,
  );
  removeTempDirs();
  return { bytes, tools: tools.length, perTool };
}

if (import.meta.url === `file://${process.argv[1]}`) await toolsListSize();
