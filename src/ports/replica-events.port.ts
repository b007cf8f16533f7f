/**
 * @module ports/replica-events
 * App events carried between the `serve` replicas that share one database (PostgreSQL
 * LISTEN/NOTIFY): a replica's MCP sessions hear about changes made through another. Best effort:
 * an event sent while a replica's connection is down is lost to it (clients re-read what they watch).
 */

export type ReplicaEvent =
  | { kind: 'project'; name: string }
  | { kind: 'list' }
  /** The session ended (DELETE /mcp or idle expiry): replicas holding a copy drop it. */
  | { kind: 'session-closed'; session: string }
  /** The session subscribed or unsubscribed: replicas holding a copy re-read its subscriptions. */
  | { kind: 'session-subscriptions'; session: string };

export interface ReplicaEvents {
  /** Sends `event` to the other replicas, never back to this one. */
  publish(event: ReplicaEvent): void;
  /** Hears what the other replicas publish; the first listener opens the connection. */
  subscribe(listener: (event: ReplicaEvent) => void): () => void;
  close(): Promise<void>;
}
