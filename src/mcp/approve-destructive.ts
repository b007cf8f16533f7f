/**
 * @module mcp/approve-destructive
 * A person in the loop for destructive tools (THREESIX_APPROVAL=destructive): the `confirm`
 * argument is filled in by the same model that decided to delete, so it proves nothing. Before the
 * tool runs, the client is asked to show the person what will be removed (MCP elicitation,
 * `elicitation/create`), and the tool goes ahead only on an explicit accept with approve = true.
 * A tool that has a dry run is run dry first, so the person reads exactly what would be removed.
 * A client that cannot ask gets a clear refusal; a dry run changes nothing and is not asked about.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { permissionDenied } from '../domain/errors.js';
import type { AnyTool } from './define-tool.js';

export interface ApprovalRequest {
  tool: AnyTool;
  target: string;
  input: Record<string, unknown>;
  requestId: string | number;
  signal: AbortSignal;
  /** The tool's own dry-run summary of what it would remove, when it has a dry run. */
  preview?: () => Promise<string>;
}

export async function approveDestructive(server: McpServer, request: ApprovalRequest): Promise<void> {
  const { tool, target, input } = request;
  if (input.dryRun === true) return;
  if (!server.server.getClientCapabilities()?.elicitation) {
    throw permissionDenied(
      `${tool.name} needs a person's approval here (THREESIX_APPROVAL=destructive), and this client cannot ask for it (it does not support MCP elicitation)`,
      'Nothing was changed. Run it from a client that supports elicitation, or ask the operator to do it',
    );
  }
  // The dry run's own account of what goes, or else the description's first sentence.
  const what = request.preview ? await request.preview() : (tool.description.split(/(?<=\.)\s/)[0] ?? tool.title);
  const result = await server.server.elicitInput(
    {
      mode: 'form',
      message: `An agent wants to run ${tool.name} on "${target}". ${what} This cannot be undone. Approve?`,
      requestedSchema: {
        type: 'object',
        properties: { approve: { type: 'boolean', title: `Run ${tool.name} on "${target}"`, description: what } },
        required: ['approve'],
      },
    },
    // Related to the tool call, so the request travels on that call's response stream.
    { relatedRequestId: request.requestId, signal: request.signal },
  );
  if (result.action !== 'accept' || result.content?.approve !== true) {
    throw permissionDenied(
      `${tool.name} on "${target}" was not approved by the person (${result.action === 'accept' ? 'approve was not ticked' : result.action})`,
      'Nothing was changed. Ask the person before trying again',
    );
  }
}
