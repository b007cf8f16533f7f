/**
 * @module services/access/scoped-app
 * The AppContext a token's session works with. Operations it starts and releases it makes are
 * marked with the token's name (who did what, beside the audit trail). For a project-bound token,
 * its view of the state store holds
 * only projects (and their operations and audit events) matching the token's patterns. Listing,
 * resources, completions and every tool then filter without each knowing about tokens, and a
 * project outside the patterns reads exactly like one that does not exist (no existence leak).
 * Writes pass through: which project a call may change is checked before the tool runs
 * (authorize-call.ts).
 */
import { notFound } from '../../domain/errors.js';
import type { AccessStore } from '../../ports/access-store.port.js';
import type { AuditLog, OperationJournal, ProjectStore, StateStore } from '../../ports/state-store.port.js';
import type { AppContext } from '../shared/app-context.js';
import type { AppEvents } from '../shared/app-events.js';
import type { AccessIdentity } from './identity.js';
import { matchesProjectPatterns } from './project-patterns.js';

/** The store's own NOT_FOUND for a project, word for word, so a hidden project reads as absent. */
export const projectNotFound = (name: string) =>
  notFound(`project "${name}" does not exist`, 'Call list_projects to see the projects, or create_project to make it');

export function scopedApp(app: AppContext, identity: AccessIdentity): AppContext {
  const patterns = identity.projects;
  const visible = (name: string) => matchesProjectPatterns(patterns, name);
  const operations = recordingActor(
    app.store.operations,
    'start',
    (op: { id: string }) => ({ operation: op.id }),
    app.store.access,
    identity.name,
  );
  const releases = recordingActor(
    app.store.releases,
    'create',
    (release: { id: number }) => ({ release: release.id }),
    app.store.access,
    identity.name,
  );
  if (patterns.length === 0)
    return {
      ...app,
      store: { ...app.store, operations, releases, ping: () => app.store.ping(), close: () => app.store.close() },
    };
  const store: StateStore = {
    ...app.store,
    projects: scopedProjects(app.store.projects, visible),
    operations: scopedOperations(operations, visible),
    releases,
    audit: scopedAudit(app.store.audit, visible),
    // Not spread: the lazy store's sub-stores are proxies, and these two are methods of the store.
    ping: () => app.store.ping(),
    close: () => app.store.close(),
  };
  return { ...app, store, events: scopedEvents(app.events, visible) };
}

/**
 * `inner` whose `method` (one that makes a row) is followed by recording `actor` on the row made;
 * every other call passes through.
 */
function recordingActor<T extends object, R>(
  inner: T,
  method: keyof T,
  rowOf: (made: R) => Parameters<AccessStore['recordActor']>[0],
  access: AccessStore,
  actor: string,
): T {
  const make = (inner as Record<PropertyKey, (...args: unknown[]) => Promise<R>>)[method].bind(inner);
  return intercept(inner, {
    [method]: async (...args: unknown[]) => {
      const made = await make(...args);
      await access.recordActor(rowOf(made), actor);
      return made;
    },
  } as Partial<Record<keyof T, unknown>>);
}

/** `inner` with some methods replaced; the rest bound to it (it may be a class or a lazy proxy). */
function intercept<T extends object>(inner: T, replaced: Partial<Record<keyof T, unknown>>): T {
  return new Proxy(inner, {
    get(target, key) {
      if (key in replaced) return replaced[key as keyof T];
      const value = (target as Record<PropertyKey, unknown>)[key];
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function scopedProjects(inner: ProjectStore, visible: (name: string) => boolean): ProjectStore {
  const keep = <T extends { name: string }>(p: T | undefined) => (p && visible(p.name) ? p : undefined);
  return {
    create: (p) => inner.create(p),
    update: (name, patch) => (visible(name) ? inner.update(name, patch) : Promise.reject(projectNotFound(name))),
    delete: (name) => (visible(name) ? inner.delete(name) : Promise.reject(projectNotFound(name))),
    get: async (name) => (visible(name) ? inner.get(name) : undefined),
    require: async (name) => {
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
    all: async () => (await inner.all()).filter((p) => visible(p.name)),
    inState: async (state) => (await inner.inState(state)).filter((p) => visible(p.name)),
    findByDomain: async (domain) => keep(await inner.findByDomain(domain)),
    findByDeployTokenHash: async (hash) => keep(await inner.findByDeployTokenHash(hash)),
    count: async () => (await inner.all()).filter((p) => visible(p.name)).length,
  };
}

function scopedOperations(inner: OperationJournal, visible: (name: string) => boolean): OperationJournal {
  const onVisible = <T extends { target: string }>(op: T | undefined) => (op && visible(op.target) ? op : undefined);
  // Reads answer only for operations on visible projects; everything else passes through as is.
  return intercept(inner, {
    get: async (id: string) => onVisible(await inner.get(id)),
    findUnfinished: async (kind: string, on: string) => onVisible(await inner.findUnfinished(kind, on)),
    listByStatus: async (status: Parameters<OperationJournal['listByStatus']>[0]) =>
      (await inner.listByStatus(status)).filter((op) => visible(op.target)),
  });
}

function scopedAudit(inner: AuditLog, visible: (name: string) => boolean): AuditLog {
  return {
    record: (event) => inner.record(event),
    list: async (options) => {
      if (options.target !== undefined && !visible(options.target)) return [];
      return (await inner.list(options)).filter((e) => visible(e.target));
    },
  };
}

function scopedEvents(inner: AppEvents, visible: (name: string) => boolean): AppEvents {
  return {
    ...inner,
    onProjectChanged: (listener) => inner.onProjectChanged((name) => visible(name) && listener(name)),
  };
}
