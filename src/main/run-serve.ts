/**
 * @module main/run-serve
 * `threesix-mcp serve`: streamable HTTP on Hono. Loopback by default; any other address needs
 * THREESIX_HTTP_TOKEN, because an open MCP endpoint on a network hands out the platform.
 */
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '../http/create-app.js';
import { defaultAllowedHosts, defaultAllowedOrigins } from '../http/host-guard.js';
import { metricsRoutes } from '../http/metrics-routes.js';
import { oidcTokenCheck } from '../http/oidc-auth.js';
import { protectedResourceRoutes } from '../http/protected-resource-routes.js';
import { createMcpServer } from '../mcp/create-server.js';
import { startBackground, type Booted } from './boot.js';
import { backgroundTasks } from './background.js';
import { buildCatalog } from './catalog.js';
import { createCiWebhook } from './ci-webhook.js';
import { serverHooks } from './server-hooks.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

export interface ServeOptions {
  host: string;
  port: number;
}

export interface RunningHttp {
  url: string;
  close(): Promise<void>;
}

/**
 * Socket limits, so slow or stalled clients cannot hold connections for ever: the headers must
 * arrive within 10 s and the whole request (body included) within THREESIX_HTTP_REQUEST_TIMEOUT_S,
 * an idle keep-alive connection closes after 5 s, and Node checks these every few seconds (its
 * default, 30 s, let a trickled body live a minute). Responses are not bounded: SSE streams and
 * long tool calls answer over time.
 */
export function httpServerLimits(requestTimeoutS: number) {
  const requestTimeout = requestTimeoutS * 1000;
  return {
    requestTimeout,
    headersTimeout: Math.min(10_000, requestTimeout),
    keepAliveTimeout: 5_000,
    connectionsCheckingInterval: Math.min(5_000, Math.max(250, Math.floor(requestTimeout / 4))),
  };
}

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

export async function runServe(booted: Booted, options: ServeOptions): Promise<RunningHttp> {
  const { config, app, logger } = booted;
  if (!isLoopback(options.host) && !config.THREESIX_HTTP_TOKEN) {
    throw new Error(`refusing to bind ${options.host} without THREESIX_HTTP_TOKEN: set a token or bind 127.0.0.1`);
  }
  const issuer = config.THREESIX_OIDC_ISSUER;
  const audience = config.THREESIX_OIDC_AUDIENCE ?? config.THREESIX_PUBLIC_URL;
  if (issuer && !audience)
    throw new Error(
      'THREESIX_OIDC_ISSUER needs THREESIX_OIDC_AUDIENCE (or THREESIX_PUBLIC_URL) to check the audience of its tokens',
    );
  const catalog = buildCatalog(config);
  let port = options.port;
  // Host allow-list needs the real port, known only after bind when port is 0: compute lazily.
  const guard = {
    get allowedHosts() {
      return defaultAllowedHosts(port, options.host, config.THREESIX_ALLOWED_HOSTS, config.THREESIX_PUBLIC_URL);
    },
    get allowedOrigins() {
      return defaultAllowedOrigins(port, config.THREESIX_ALLOWED_ORIGINS);
    },
  };
  const ciWebhook = createCiWebhook(app);
  const { hono, sessions } = createHttpApp({
    app,
    createServer: (identity) => createMcpServer(app, catalog, serverHooks(app), identity),
    guard,
    token: config.THREESIX_HTTP_TOKEN,
    externalTokens: issuer
      ? oidcTokenCheck({
          issuer,
          audience: audience!,
          claims: { scope: config.THREESIX_OIDC_SCOPE_CLAIM, projects: config.THREESIX_OIDC_PROJECTS_CLAIM },
          logger,
        })
      : undefined,
    publicRoutes: [protectedResourceRoutes({ publicUrl: config.THREESIX_PUBLIC_URL, issuer })],
    protectedRoutes: [metricsRoutes(app.metrics)],
    routes: [ciWebhook.routes],
    sessionLimits: { maxSessions: config.THREESIX_MAX_SESSIONS, idleMs: config.THREESIX_SESSION_IDLE_S * 1000 },
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: hono.fetch,
        hostname: options.host,
        port: options.port,
        serverOptions: httpServerLimits(config.THREESIX_HTTP_REQUEST_TIMEOUT_S),
      },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  port = (server.address() as AddressInfo).port;
  startBackground(booted, [() => ciWebhook.queue.resume(), ...backgroundTasks]);
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`;
  logger.info('http server listening', { url, mcp: `${url}/mcp`, sandbox: booted.sandbox?.simulated ?? [] });
  return {
    url,
    async close() {
      await sessions.closeAll();
      await ciWebhook.queue.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await booted.shutdown();
    },
  };
}
