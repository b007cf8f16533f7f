/**
 * @module sandbox/gitea
 * The Gitea stand-in: Gitea's REST API (the part threesix and the CI stand-in use) plus real bare
 * git repositories served over smart HTTP, on a loopback port.
 *
 * Programmatic use (tests, the CI stand-in):
 *   const gitea = await startGiteaStandIn({ dataDir });
 *   gitea.url / gitea.token / gitea.org     point GiteaGitHost or `git clone` at it
 *                                            (git: http://x:<token>@127.0.0.1:<port>/<org>/<repo>.git)
 *   gitea.onPush(event => ...)               called after a push (git or contents API) once its hooks were delivered
 *   await gitea.settle()                     waits for push deliveries in flight (as in Gitea, they
 *                                            go out after the push or the API commit has answered)
 *   gitea.addUser('carol')                   makes a user exist (collaborators must exist)
 *   await gitea.stop()
 * Hooks are registered through the API (POST /api/v1/repos/{owner}/{repo}/hooks) with `active: true`.
 * `--sandbox` starts it first and sets GITEA_URL and GITEA_TOKEN (GITEA_TOKEN from the environment when
 * set, else random per start). State persists in the data dir across restarts.
 */
import { randomBytes } from 'node:crypto';
import { SANDBOX_GIT_PASSWORD } from '../../config.js';
import type { Logger } from '../../ports/logger.port.js';
import type { ExchangeObserver } from '../exchange.js';
import { serveStandIn } from '../serve-stand-in.js';
import type { StandIn } from '../stand-in.js';
import { createGiteaApp, type GiteaContext } from './gitea-app.js';
import { createPushNotifier, type PushListener } from './gitea-push.js';
import { GiteaState } from './gitea-state.js';

export type { PushEvent, PushListener } from './gitea-push.js';

export const GITEA_ADMIN = 'gitea-admin';

export interface GiteaStandInOptions {
  dataDir: string;
  /** Defaults to a random token. */
  token?: string;
  /** Scopes of the token, as Gitea enforces them per API route; unscoped when absent. */
  scopes?: string[];
  org?: string;
  /** Users besides the admin, for collaborator calls. Defaults to alice and bob. */
  users?: string[];
  port?: number;
  observer?: ExchangeObserver;
  /** Delay added to every response (THREESIX_SANDBOX_LATENCY_MS). */
  latencyMs?: number;
  logger?: Logger;
}

export interface GiteaStandIn {
  url: string;
  token: string;
  org: string;
  admin: string;
  dataDir: string;
  onPush(listener: PushListener): () => void;
  settle(): Promise<void>;
  addUser(login: string): void;
  stop(): Promise<void>;
}

export async function startGiteaStandIn(options: GiteaStandInOptions): Promise<GiteaStandIn> {
  const state = new GiteaState(options.dataDir);
  const admin = state.ensureUser(GITEA_ADMIN, true);
  for (const login of options.users ?? ['alice', 'bob']) state.ensureUser(login);
  const org = state.ensureOrg(options.org ?? 'threesix');
  const token = options.token ?? randomBytes(20).toString('hex');
  const site = { root: '', sshHost: '127.0.0.1' };
  const notifier = createPushNotifier(state, site, admin, options.logger);
  const ctx: GiteaContext = {
    state,
    token,
    scopes: options.scopes,
    admin,
    site,
    logger: options.logger,
    pushed: notifier.pushed,
  };
  const served = await serveStandIn(createGiteaApp(ctx), {
    port: options.port,
    observer: options.observer,
    latencyMs: options.latencyMs,
  });
  site.root = served.url;
  return {
    url: served.url,
    token,
    org: org.name,
    admin: admin.login,
    dataDir: options.dataDir,
    onPush: notifier.onPush,
    settle: notifier.settle,
    addUser: (login) => void state.ensureUser(login),
    stop: async () => {
      await notifier.settle();
      await served.close();
    },
  };
}

export const giteaStandIn: StandIn = {
  backend: 'git',
  title: 'Gitea',
  async start(ctx) {
    const users = ctx.config.THREESIX_COLLABORATORS.map((entry) => entry.split(':')[0]!).filter(Boolean);
    // The sandbox password is a fixed, published value (nothing real is behind it) so that an agent
    // or a person can `git clone`/`git push` over loopback; an operator may choose another by
    // setting GITEA_TOKEN without GITEA_URL.
    const token = ctx.config.GITEA_TOKEN ?? SANDBOX_GIT_PASSWORD;
    const gitea = await startGiteaStandIn({
      dataDir: ctx.dataDir,
      org: ctx.config.GITEA_DEFAULT_ORG,
      token,
      users: ['alice', 'bob', ...users],
      logger: ctx.logger,
      latencyMs: ctx.latencyMs,
      port: ctx.port,
    });
    return { env: { GITEA_URL: gitea.url, GITEA_TOKEN: gitea.token }, endpoint: gitea.url, stop: () => gitea.stop() };
  },
};
