/**
 * @module sandbox/woodpecker
 * The Woodpecker stand-in: the API the adapter calls, plus pipeline simulation. Activation
 * registers a push hook in the Gitea (stand-in or real) through Gitea's API; a push then runs the
 * repository's `.woodpecker.yaml` in simulation: kaniko publishes an image manifest to the
 * registry, the notify step calls threesix's webhook with the project's secret. Nothing from a
 * repository is ever executed.
 *
 * Programmatic use (tests):
 *   const ci = await startWoodpeckerStandIn({ giteaUrl, giteaToken });
 *   ci.url / ci.token      point WoodpeckerCiServer at it
 *   await ci.settle()      waits for pipelines in flight
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../../ports/logger.port.js';
import type { ExchangeObserver } from '../exchange.js';
import { serveStandIn } from '../serve-stand-in.js';
import type { StandIn } from '../stand-in.js';
import { ForgeClient } from './forge-client.js';
import { createWoodpeckerApp, type WoodpeckerContext } from './woodpecker-app.js';
import { WoodpeckerState } from './woodpecker-state.js';

export interface WoodpeckerStandInOptions {
  giteaUrl: string;
  giteaToken: string;
  token?: string;
  port?: number;
  observer?: ExchangeObserver;
  latencyMs?: number;
  logger?: Logger;
}

export interface WoodpeckerStandIn {
  url: string;
  token: string;
  state: WoodpeckerState;
  /** Resolves when every pipeline started so far has finished. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

export async function startWoodpeckerStandIn(options: WoodpeckerStandInOptions): Promise<WoodpeckerStandIn> {
  const state = new WoodpeckerState();
  const token = options.token ?? randomBytes(20).toString('hex');
  const ctx: WoodpeckerContext = {
    state,
    token,
    forge: new ForgeClient(options.giteaUrl, options.giteaToken),
    site: { url: '' },
    logger: options.logger ?? silent,
    running: new Set(),
  };
  const served = await serveStandIn(createWoodpeckerApp(ctx), {
    port: options.port,
    observer: options.observer,
    latencyMs: options.latencyMs,
  });
  ctx.site.url = served.url;
  const settle = async () => {
    while (ctx.running.size) await Promise.allSettled([...ctx.running]);
  };
  return {
    url: served.url,
    token,
    state,
    settle,
    stop: async () => {
      await settle();
      await served.close();
    },
  };
}

export const woodpeckerStandIn: StandIn = {
  backend: 'ci',
  title: 'Woodpecker CI',
  async start(ctx) {
    const git = ctx.started.get('git')?.env;
    const giteaUrl = git?.GITEA_URL ?? ctx.config.GITEA_URL;
    const giteaToken = git?.GITEA_TOKEN ?? ctx.config.GITEA_TOKEN;
    if (!giteaUrl || !giteaToken)
      throw new Error('the Woodpecker stand-in needs a Gitea (stand-in or GITEA_URL/GITEA_TOKEN)');
    const ci = await startWoodpeckerStandIn({
      giteaUrl,
      giteaToken,
      token: ctx.previous?.WOODPECKER_TOKEN,
      port: ctx.port,
      latencyMs: ctx.latencyMs,
      logger: ctx.logger,
    });
    return { env: { WOODPECKER_URL: ci.url, WOODPECKER_TOKEN: ci.token }, endpoint: ci.url, stop: () => ci.stop() };
  },
};
