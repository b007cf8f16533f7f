/**
 * @module mcp/resource-subscriptions
 * resources/subscribe for one server (one client): it remembers the URIs its client subscribed to
 * and, when app events say a project changed, sends notifications/resources/updated for those that
 * concern it; a project created or deleted sends notifications/resources/list_changed. Wired per
 * server through ServerHooks.extend, and unhooked when the server closes.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { AppContext } from '../services/shared/app-context.js';

const PROJECTS = 'threesix://projects';

/** Whether a change to project `name` changes the resource at `uri`. */
export function concernsProject(uri: string, name: string): boolean {
  const base = `${PROJECTS}/${name}`;
  return uri === base || uri.startsWith(`${base}/`) || uri === PROJECTS || uri.startsWith(`${PROJECTS}?`);
}

export function enableResourceSubscriptions(server: McpServer, app: AppContext): void {
  const low = server.server;
  low.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  const subscribed = new Set<string>();
  low.setRequestHandler(SubscribeRequestSchema, async (request) => {
    subscribed.add(request.params.uri);
    return {};
  });
  low.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
    subscribed.delete(request.params.uri);
    return {};
  });
  // A notification to a client that went away is not our failure: drop it quietly.
  const send = (notify: () => Promise<void>) => {
    if (low.transport)
      void notify().catch((error) => app.logger.debug('resource notification not delivered', { err: error }));
  };
  const offProject = app.events.onProjectChanged((name) => {
    for (const uri of subscribed) if (concernsProject(uri, name)) send(() => low.sendResourceUpdated({ uri }));
  });
  const offList = app.events.onProjectListChanged(() => send(() => low.sendResourceListChanged()));
  const previous = low.onclose;
  low.onclose = () => {
    offProject();
    offList();
    subscribed.clear();
    previous?.();
  };
}
