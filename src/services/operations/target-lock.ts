/**
 * @module services/operations/target-lock
 * One operation at a time per target (a project name) within this process: two create_project
 * calls for one name queue up, so the second sees the first's outcome instead of racing it. Across
 * processes the database's unique project row is the guard.
 */
import type { AppContext } from '../app-context.js';

const locks = new WeakMap<object, Map<string, Promise<void>>>();

export async function withTargetLock<T>(app: AppContext, target: string, work: () => Promise<T>): Promise<T> {
  let byTarget = locks.get(app.store);
  if (!byTarget) locks.set(app.store, (byTarget = new Map()));
  const previous = byTarget.get(target) ?? Promise.resolve();
  const run = previous.then(work);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  byTarget.set(target, tail);
  try {
    return await run;
  } finally {
    if (byTarget.get(target) === tail) byTarget.delete(target);
  }
}
