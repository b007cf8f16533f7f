/**
 * @module services/shared/app-events
 * Signals that project state or an MCP session changed. Each MCP server instance (one per stdio
 * process or HTTP session) listens and turns project events into resource notifications for its
 * own client. With replicas on one database (`remote`), what is emitted here is also published to
 * the others, and what they publish is emitted here: once each, since a replica never hears its own.
 */
import { EventEmitter } from 'node:events';
import type { ReplicaEvent, ReplicaEvents } from '../../ports/replica-events.port.js';

export interface AppEvents {
  projectChanged(name: string): void;
  projectListChanged(): void;
  /** An MCP session ended (DELETE /mcp, idle expiry): every replica drops its copy. */
  sessionClosed(session: string): void;
  /** An MCP session's subscriptions changed in the store: copies on other replicas re-read them. */
  sessionSubscriptionsChanged(session: string): void;
  onProjectChanged(listener: (name: string) => void): () => void;
  onProjectListChanged(listener: () => void): () => void;
  onSessionClosed(listener: (session: string) => void): () => void;
  onSessionSubscriptionsChanged(listener: (session: string) => void): () => void;
  /** Ends the connection to the other replicas, if one was opened. */
  close(): Promise<void>;
}

export function createAppEvents(remote?: ReplicaEvents): AppEvents {
  const emitter = new EventEmitter();
  // One listener per live MCP session; sessions come and go, so do not warn at 10.
  emitter.setMaxListeners(0);
  const emitLocally = (event: ReplicaEvent) => {
    if (event.kind === 'project') emitter.emit('project', event.name);
    else if (event.kind === 'list') emitter.emit('list');
    else emitter.emit(event.kind, event.session);
  };
  // Heard from the others only once someone here listens: no connection before a session needs it.
  let unhookRemote: (() => void) | undefined;
  const subscribe = <A extends unknown[]>(event: string, listener: (...args: A) => void) => {
    if (remote && !unhookRemote) unhookRemote = remote.subscribe(emitLocally);
    const wrapped = (...args: unknown[]) => listener(...(args as A));
    emitter.on(event, wrapped);
    return () => void emitter.off(event, wrapped);
  };
  const emit = (event: ReplicaEvent) => {
    emitLocally(event);
    remote?.publish(event);
  };
  return {
    projectChanged: (name) => emit({ kind: 'project', name }),
    projectListChanged: () => emit({ kind: 'list' }),
    sessionClosed: (session) => emit({ kind: 'session-closed', session }),
    sessionSubscriptionsChanged: (session) => emit({ kind: 'session-subscriptions', session }),
    onProjectChanged: (listener) => subscribe('project', listener),
    onProjectListChanged: (listener) => subscribe('list', listener),
    onSessionClosed: (listener) => subscribe('session-closed', listener),
    onSessionSubscriptionsChanged: (listener) => subscribe('session-subscriptions', listener),
    close: async () => {
      unhookRemote?.();
      await remote?.close();
    },
  };
}
