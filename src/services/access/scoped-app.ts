/**
 * @module services/access/scoped-app
 * The AppContext a project-bound token's session works with: its view of the state store holds
 * only projects (and their operations and audit events) matching the token's patterns. Listing,
 * resources, completions and every tool then filter without each knowing about tokens, and a
 * project outside the patterns reads exactly like one that does not exist (no existence leak).
 * Writes pass through: which project a call may change is checked before the tool runs
 * (authorize-call.ts).
 */
import { notFound } from '../../domain/errors.js';
import type { AuditLog, OperationJournal, ProjectStore, StateStore } from '../../ports/state-store.port.js';
import type { AppContext } from '../app-context.js';
import type { AppEvents } from '../app-events.js';
import { matchesProjectPatterns } from './project-patterns.js';

/** The store's own NOT_FOUND for a project, word for word, so a hidden project reads as absent. */
export const projectNotFound = (name: string) =>
  notFound(`project "${name}" does not exist`, 'Call list_projects to see the projects, or create_project to make it');

export function scopedApp(app: AppContext, patterns: readonly string[]): AppContext {
  if (patterns.length === 0) return app;
  const visible = (name: string) => matchesProjectPatterns(patterns, name);
  const store: StateStore = {
    ...app.store,
    projects: scopedProjects(app.store.projects, visible),
    operations: scopedOperations(app.store.operations, visible),
    audit: scopedAudit(app.store.audit, visible),
    // Not spread: the lazy store's sub-stores are proxies, and these two are methods of the store.
    ping: () => app.store.ping(),
    close: () => app.store.close(),
  };
  return { ...app, store, events: scopedEvents(app.events, visible) };
}

function scopedProjects(inner: ProjectStore, visible: (name: string) => boolean): ProjectStore {
  const keep = <T extends { name: string }>(p: T | undefined) => (p && visible(p.name) ? p : undefined);
  return {
    create: p => inner.create(p),
    update: (name, patch) => (visible(name) ? inner.update(name, patch) : Promise.reject(projectNotFound(name))),
    delete: name => (visible(name) ? inner.delete(name) : Promise.reject(projectNotFound(name))),
    get: async name => (visible(name) ? inner.get(name) : undefined),
    require: async name => {
      if (!visible(name)) throw projectNotFound(name);
      return inner.require(name);
    },
    // Pages of the whole list are read until `limit` visible ones are found; the cursor is a name,
    // so it means the same in the filtered view.
    list: async ({ cursor, limit }) => {
      const items = [];
      let next = cursor;
      do {
        const page = await inner.list({ cursor: next, limit: Math.max(limit, 100) });
        for (const p of page.items) {
          if (!visible(p.name)) continue;
          items.push(p);
          if (items.length === limit) return { items, nextCursor: p.name };
        }
        next = page.nextCursor;
      } while (next);
      return { items };
    },
    all: async () => (await inner.all()).filter(p => visible(p.name)),
    inState: async state => (await inner.inState(state)).filter(p => visible(p.name)),
    findByDomain: async domain => keep(await inner.findByDomain(domain)),
    findByDeployTokenHash: async hash => keep(await inner.findByDeployTokenHash(hash)),
    count: async () => (await inner.all()).filter(p => visible(p.name)).length,
  };
}

function scopedOperations(inner: OperationJournal, visible: (name: string) => boolean): OperationJournal {
  const onVisible = <T extends { target: string }>(op: T | undefined) => (op && visible(op.target) ? op : undefined);
  // Reads answer only for operations on visible projects; everything else passes through as is.
  return new Proxy(inner, {
    get(target, key) {
      if (key === 'get') return async (id: string) => onVisible(await target.get(id));
      if (key === 'findUnfinished') return async (kind: string, on: string) => onVisible(await target.findUnfinished(kind, on));
      if (key === 'listByStatus') return async (status: Parameters<OperationJournal['listByStatus']>[0]) => (await target.listByStatus(status)).filter(op => visible(op.target));
      const value = (target as unknown as Record<PropertyKey, unknown>)[key];
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function scopedAudit(inner: AuditLog, visible: (name: string) => boolean): AuditLog {
  return {
    record: event => inner.record(event),
    list: async options => {
      if (options.target !== undefined && !visible(options.target)) return [];
      return (await inner.list(options)).filter(e => visible(e.target));
    },
  };
}

function scopedEvents(inner: AppEvents, visible: (name: string) => boolean): AppEvents {
  return {
    ...inner,
    onProjectChanged: listener => inner.onProjectChanged(name => visible(name) && listener(name)),
  };
}
