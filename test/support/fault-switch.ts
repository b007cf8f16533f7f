/**
 * A programmatic fault switch around any port object: `failNext('createRepo')` makes the next
 * call to that method throw (before it runs, or after it ran, as if the answer were lost on the
 * way back). The wrapped object is the real stateful fake, so state stays honest.
 */
import { upstreamUnavailable } from '../../src/domain/errors.js';

export interface FaultSwitch {
  /**
   * The next `times` calls of `method` fail; `after` runs the real call first (a lost response).
   * With `hang` the call never settles instead of failing: the process died waiting for it.
   */
  failNext(method: string, options?: { times?: number; after?: boolean; error?: Error; hang?: boolean }): void;
  /** Every later call of every method never settles: this side of the port is dead (a SIGKILL). */
  freeze(): void;
  /** Runs before each call of `method` (e.g. to block until a test releases it). */
  onCall(method: string, hook: () => Promise<void> | void): void;
  clear(): void;
  /** Calls made per method. */
  readonly calls: Record<string, number>;
}

export function withFaults<T extends object>(target: T, backend: string): { port: T; faults: FaultSwitch } {
  const armed = new Map<string, { times: number; after: boolean; error?: Error; hang?: boolean }>();
  const never = () => new Promise<never>(() => undefined);
  let frozen = false;
  const hooks = new Map<string, () => Promise<void> | void>();
  const calls: Record<string, number> = {};
  const port = new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return async (...args: unknown[]) => {
        if (frozen) return never();
        calls[prop] = (calls[prop] ?? 0) + 1;
        await hooks.get(prop)?.();
        const fault = armed.get(prop);
        if (fault && fault.times > 0) {
          fault.times -= 1;
          const error =
            fault.error ?? upstreamUnavailable(backend, { message: `${backend} failed (injected fault in ${prop})` });
          if (fault.after) await (value as (...a: unknown[]) => unknown).apply(obj, args);
          if (fault.hang) return never();
          throw error;
        }
        return (value as (...a: unknown[]) => unknown).apply(obj, args);
      };
    },
  });
  return {
    port,
    faults: {
      failNext: (method, options = {}) =>
        void armed.set(method, {
          times: options.times ?? 1,
          after: options.after ?? false,
          error: options.error,
          hang: options.hang,
        }),
      freeze: () => void (frozen = true),
      onCall: (method, hook) => void hooks.set(method, hook),
      clear: () => {
        armed.clear();
        hooks.clear();
      },
      calls,
    },
  };
}
