/**
 * @module main/server-hooks
 * Per-server extras every entry point installs on the servers it makes: tool-call metrics and
 * resource subscriptions.
 */
import type { ServerHooks } from '../mcp/create-server.js';
import { enableResourceSubscriptions } from '../mcp/resource-subscriptions.js';
import type { AppContext } from '../services/shared/app-context.js';

export function serverHooks(app: AppContext): ServerHooks {
  return {
    onToolCall: (tool, outcome) => app.metrics.toolCall(tool, outcome),
    extend: (server, context) => enableResourceSubscriptions(server, context),
  };
}
