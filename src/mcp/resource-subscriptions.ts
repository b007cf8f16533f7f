/**
 * @module mcp/resource-subscriptions
 * resources/subscribe for one server (one client): it remembers the URIs its client subscribed to
 * and, when app events say a project changed, sends notifications/resources/updated for those that
 * concern it; a project created or deleted sends notifications/resources/list_changed. Wired per
 * server through ServerHooks.extend, and unhooked when the server closes.
 * An HTTP session's subscriptions are also kept in the state store, so a replica that rebuilds the
 * session (http/mcp-route.ts) restores them, and a replica already holding a copy re-reads them when
 * the session subscribes through another (the session-subscriptions app event).
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { AppContext } from '../services/shared/app-context.js';

const PROJECTS = 'threesix://projects';

/** Each server's subscribed URIs, for restoring them into a rebuilt session. */
const subscribedBy = new WeakMap<McpServer, Set<string>>();

/** Whether a change to project `name` changes the resource at `uri`. */
export function concernsProject(uri: string, name: string): boolean {
  const base = `${PROJECTS}/${name}`;
  return uri === base || uri.startsWith(`${base}/`) || uri === PROJECTS || uri.startsWith(`${PROJECTS}?`);
}

/** Replaces what `server`'s client is subscribed to (a session rebuilt from the store). */
export function restoreSubscriptions(server: McpServer, uris: Iterable<string>): void {
  const subscribed = subscribedBy.get(server);
  if (!subscribed) return;
  subscribed.clear();
  for (const uri of uris) subscribed.add(uri);
}

export function enableResourceSubscriptions(server: McpServer, app: AppContext): void {
  const low = server.server;
  low.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  const subscribed = new Set<string>();
  subscribedBy.set(server, subscribed);
  const sessions = app.store.mcpSessions;
  // Stored before the answer, so the client's next request, on whichever replica, finds it.
  low.setRequestHandler(SubscribeRequestSchema, async (request, extra) => {
    subscribed.add(request.params.uri);
    if (extra.sessionId) {
      await sessions.subscribe(extra.sessionId, request.params.uri);
      app.events.sessionSubscriptionsChanged(extra.sessionId);
    }
    return {};
  });
  low.setRequestHandler(UnsubscribeRequestSchema, async (request, extra) => {
    subscribed.delete(request.params.uri);
    if (extra.sessionId) {
      await sessions.unsubscribe(extra.sessionId, request.params.uri);
      app.events.sessionSubscriptionsChanged(extra.sessionId);
    }
    return {};
  });
  // A notification to a client that went away is not our failure: drop it quietly.
  const send = (notify: () => Promise<void>) => {
    if (low.transport)
      void notify().catch((error: unknown) => app.logger.debug('resource notification not delivered', { err: error }));
  };
  const offProject = app.events.onProjectChanged((name) => {
    for (const uri of subscribed) if (concernsProject(uri, name)) send(() => low.sendResourceUpdated({ uri }));
  });
  const offList = app.events.onProjectListChanged(() => send(() => low.sendResourceListChanged()));
  const offSession = app.events.onSessionSubscriptionsChanged((session) => {
    if (session !== low.transport?.sessionId) return;
    void sessions
      .subscriptions(session)
      .then((uris) => restoreSubscriptions(server, uris))
      .catch((error: unknown) => app.logger.warn('session subscriptions not re-read', { err: error }));
  });
  const previous = low.onclose;
  low.onclose = () => {
    offProject();
    offList();
    offSession();
    subscribed.clear();
    previous?.();
  };
}
