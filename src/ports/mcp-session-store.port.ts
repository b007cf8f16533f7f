/**
 * @module ports/mcp-session-store
 * MCP sessions of `serve`, kept in the database so any replica can take a session's next request
 * (http/mcp-route.ts rebuilds it from the row). Nothing here is a secret: the identity is a token's
 * name, and the initialize parameters are what the client said about itself.
 */

/** What the client sent in `initialize`, replayed to rebuild the session on another replica. */
export interface McpInitializeParams {
  protocolVersion: string;
  capabilities: Record<string, unknown>;
  clientInfo: { name: string; version: string } & Record<string, unknown>;
}

export interface McpSessionRecord {
  id: string;
  /** The name of the token that opened it (null on a server without tokens). */
  identityName: string | null;
  initialize: McpInitializeParams;
  /** Resource URIs the client subscribed to, sorted. */
  subscriptions: string[];
  createdAt: string;
  lastSeenAt: string;
}

export interface McpSessionStore {
  create(session: { id: string; identityName: string | null; initialize: McpInitializeParams }): Promise<void>;
  get(id: string): Promise<McpSessionRecord | undefined>;
  /** Marks the session used now; false when it no longer exists (deleted or expired elsewhere). */
  touch(id: string): Promise<boolean>;
  /** Idempotent; a no-op for a session that no longer exists. */
  subscribe(id: string, uri: string): Promise<void>;
  unsubscribe(id: string, uri: string): Promise<void>;
  subscriptions(id: string): Promise<string[]>;
  /** Removes the session and its subscriptions; true when it existed. */
  delete(id: string): Promise<boolean>;
  /**
   * Removes the sessions last used before `lastSeenBefore` (ISO-8601), only those of `ids` when
   * given; returns the ids removed.
   */
  expire(lastSeenBefore: string, ids?: readonly string[]): Promise<string[]>;
}
