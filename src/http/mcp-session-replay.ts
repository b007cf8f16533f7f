/**
 * @module http/mcp-session-replay
 * Rebuilds on this replica an MCP session another replica opened, with the SDK's public API only:
 * a fresh transport whose session id generator returns the stored id is handed the client's stored
 * `initialize` and `notifications/initialized` through `handleRequest`, as if the client sent them
 * again, and the answers are discarded. The server then holds the client's capabilities, info and
 * protocol version, and the transport accepts the session id, exactly as on the replica that opened it.
 */
import type { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { McpInitializeParams } from '../ports/mcp-session-store.port.js';

/** The replayed request's id: it only correlates the discarded answer. */
const REPLAY_ID = 'threesix-session-replay';

const POST_HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };

/** Throws when the server does not accept the replayed initialize (the session cannot be rebuilt). */
export async function replayInitialize(
  transport: WebStandardStreamableHTTPServerTransport,
  sessionId: string,
  params: McpInitializeParams,
  url: string,
): Promise<void> {
  const answer = await transport.handleRequest(new Request(url, { method: 'POST', headers: POST_HEADERS }), {
    parsedBody: { jsonrpc: '2.0', id: REPLAY_ID, method: 'initialize', params },
  });
  // The SSE answer ends once the server has answered: reading it whole waits for the initialize.
  const text = await answer.text();
  const result = answerOf(text);
  if (answer.status !== 200 || !result?.protocolVersion)
    throw new Error(`stored initialize not accepted (HTTP ${answer.status})`);
  const initialized = await transport.handleRequest(
    new Request(url, {
      method: 'POST',
      headers: { ...POST_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': result.protocolVersion },
    }),
    { parsedBody: { jsonrpc: '2.0', method: 'notifications/initialized' } },
  );
  if (initialized.status !== 202)
    throw new Error(`stored initialized notification not accepted (HTTP ${initialized.status})`);
}

/** The initialize result in an SSE answer (`data: {…}` lines), or a JSON one. */
function answerOf(text: string): { protocolVersion?: string } | undefined {
  const lines = text.split('\n').filter((line) => line.startsWith('data:'));
  for (const data of lines.length > 0 ? lines.map((line) => line.slice(5)) : [text]) {
    try {
      const message = JSON.parse(data) as { id?: unknown; result?: { protocolVersion?: string } };
      if (message.id === REPLAY_ID) return message.result;
    } catch {
      // not JSON (a priming event): look further
    }
  }
  return undefined;
}
