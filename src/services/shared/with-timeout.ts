/**
 * @module services/shared/with-timeout
 * Bounds a promise in time; the loser is left to settle on its own, its result ignored.
 */
import { timeout } from '../../domain/errors.js';

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeout(what, ms)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
