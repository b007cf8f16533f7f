/**
 * @module services/shared/backends
 * Lazily built backend ports. Nothing here loads a vendor SDK or opens a connection until a tool
 * needs that backend, so `initialize` never waits on a backend (issue: fast start).
 */
import { BACKEND_VARIABLES, type BackendName } from '../../config.js';
import { notConfigured } from '../../domain/errors.js';
import type { BackendProbe } from '../../ports/backend-probe.port.js';

export type BackendMode = 'real' | 'sandbox' | 'none';

export interface BackendInfo {
  name: BackendName;
  mode: BackendMode;
  /** Which implementation, e.g. "gitea", "cloudflare", "powerdns", "kubernetes". */
  provider: string | null;
  /** Where it points (URL without credentials), when configured. */
  endpoint: string | null;
}

export interface BackendSlot<T extends BackendProbe> {
  info: BackendInfo;
  /** Builds the adapter on first use; NOT_CONFIGURED naming the variables when it has no config. */
  get(): Promise<T>;
}

export function backendSlot<T extends BackendProbe>(
  info: BackendInfo,
  build: (() => Promise<T>) | null,
): BackendSlot<T> {
  let instance: Promise<T> | undefined;
  return {
    info,
    get() {
      if (!build) return Promise.reject(notConfigured(info.name, BACKEND_VARIABLES[info.name]));
      instance ??= build().catch((error) => {
        instance = undefined; // a failed build (say, an unreadable kubeconfig) is retried next call
        throw error;
      });
      return instance;
    },
  };
}
