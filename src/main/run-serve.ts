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

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

export async function runServe(booted: Booted, options: ServeOptions): Promise<RunningHttp> {
  const { config, app, logger } = booted;
  if (!isLoopback(options.host) && !config.THREESIX_HTTP_TOKEN) {
    throw new Error(`refusing to bind ${options.host} without THREESIX_HTTP_TOKEN: set a token or bind 127.0.0.1`);
  }
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
    createServer: () => createMcpServer(app, catalog, serverHooks(app)),
    guard,
    token: config.THREESIX_HTTP_TOKEN,
    protectedRoutes: [metricsRoutes(app.metrics)],
    routes: [ciWebhook.routes],
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: hono.fetch, hostname: options.host, port: options.port }, () => resolve(s));
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
      await new Promise<void>(resolve => server.close(() => resolve()));
      await booted.shutdown();
    },
  };
}
