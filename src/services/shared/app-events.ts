/**
 * @module services/shared/app-events
 * In-process signal that project state changed. Each MCP server instance (one per stdio process or
 * HTTP session) listens and turns these into resource notifications for its own client.
 */
import { EventEmitter } from 'node:events';

export interface AppEvents {
  projectChanged(name: string): void;
  projectListChanged(): void;
  onProjectChanged(listener: (name: string) => void): () => void;
  onProjectListChanged(listener: () => void): () => void;
}

export function createAppEvents(): AppEvents {
  const emitter = new EventEmitter();
  // One listener per live MCP session; sessions come and go, so do not warn at 10.
  emitter.setMaxListeners(0);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const subscribe = (event: string, listener: (...args: any[]) => void) => {
    emitter.on(event, listener);
    return () => void emitter.off(event, listener);
  };
  return {
    projectChanged: (name) => emitter.emit('project', name),
    projectListChanged: () => emitter.emit('list'),
    onProjectChanged: (listener) => subscribe('project', listener),
    onProjectListChanged: (listener) => subscribe('list', listener),
  };
}
