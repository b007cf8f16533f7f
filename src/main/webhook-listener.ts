/**
 * @module main/webhook-listener
 * Where CI reaches threesix when nothing else says. `serve --sandbox` without THREESIX_PUBLIC_URL
 * uses its own address (a port 0 is resolved to a free port first, so the URL is known before
 * the pipeline template is rendered); `stdio --sandbox` has no HTTP server, so it gets a small
 * loopback listener that serves only the health probes and the webhook.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createServer, type AddressInfo } from 'node:net';
import { healthRoutes } from '../http/health-routes.js';
import type { AppContext } from '../services/shared/app-context.js';
import { createCiWebhook } from './ci-webhook.js';

export async function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, host, () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** THREESIX_PUBLIC_URL for a sandbox run, or undefined when the environment sets one. */
export async function sandboxPublicUrl(
  env: NodeJS.ProcessEnv,
  host: string,
  port: number,
): Promise<{ url: string; port: number } | undefined> {
  if (env.THREESIX_PUBLIC_URL) return undefined;
  const bound = port === 0 ? await freePort(host) : port;
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`, port: bound };
}

export async function startWebhookListener(
  app: AppContext,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const ci = createCiWebhook(app);
  await ci.queue.resume();
  const hono = new Hono();
  hono.route('/', healthRoutes(app));
  hono.route('/', ci.routes);
  hono.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'no such route' } }, 404));
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: hono.fetch, hostname: '127.0.0.1', port }, () => resolve(s));
    s.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  app.logger.info('ci webhook listening', { url });
  return {
    url,
    close: async () => {
      await ci.queue.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
