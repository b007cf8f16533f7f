/**
 * @module services/server-info
 * What `threesix://server` shows: version, mode and which backends are real or simulated. Built
 * from config flags and endpoints only, so it can never include a credential.
 */
import { SANDBOX_GIT_PASSWORD } from '../../config.js';
import { backendEntries, type AppContext } from './app-context.js';
import type { BackendInfo } from './backends.js';

export interface ServerInfo {
  name: 'threesix';
  version: string;
  domain: string;
  readOnly: boolean;
  toolsets: string[];
  ownerId: string;
  backends: BackendInfo[];
  /** How to authenticate git over HTTP, when the git host is the sandbox stand-in. */
  sandboxGit?: string;
}

export function serverInfo(app: AppContext): ServerInfo {
  const { config, backends } = app;
  return {
    name: 'threesix',
    version: app.version,
    domain: config.DEFAULT_DOMAIN,
    readOnly: config.THREESIX_READ_ONLY,
    toolsets: config.THREESIX_TOOLSETS.length > 0 ? [...config.THREESIX_TOOLSETS] : ['all'],
    ownerId: config.THREESIX_OWNER_ID,
    backends: backendEntries(backends).map(([, slot]) => ({ ...slot.info })),
    ...(backends.git.info.mode === 'sandbox'
      ? {
          sandboxGit: `git clone/push over HTTP with any username and the password "${SANDBOX_GIT_PASSWORD}" (sandbox only)`,
        }
      : {}),
  };
}
