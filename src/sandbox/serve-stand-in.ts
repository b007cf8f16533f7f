/**
 * @module sandbox/serve-stand-in
 * Runs a stand-in's Hono app on a loopback port and reports each JSON exchange to an observer.
 */
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import type { ExchangeObserver } from './exchange.js';

export interface ServedStandIn {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ServeStandInOptions {
  port?: number;
  /** Receives every exchange (tests validate them against the vendor spec). */
  observer?: ExchangeObserver;
  /** Delay added to every response, to model a remote backend (benchmarks, crash tests). */
  latencyMs?: number;
}

export async function serveStandIn(app: Hono, options: ServeStandInOptions = {}): Promise<ServedStandIn> {
  const observer = options.observer;
  const latencyMs = options.latencyMs ?? 0;
  const handler = observer
    ? async (request: Request, env?: unknown) => {
        const requestText = await request.clone().text().catch(() => '');
        const response = await app.fetch(request, env);
        const type = response.headers.get('content-type') ?? '';
        const responseText = type.includes('json') ? await response.clone().text() : '';
        const url = new URL(request.url);
        observer({
          method: request.method,
          path: url.pathname,
          query: url.search,
          requestContentType: request.headers.get('content-type') ?? undefined,
          requestBody: parseMaybeJson(requestText),
          status: response.status,
          responseBody: parseMaybeJson(responseText),
        });
        return response;
      }
    : (request: Request, env?: unknown) => app.fetch(request, env);
  const fetch =
    latencyMs > 0
      ? async (request: Request, env?: unknown) => {
          await new Promise(resolve => setTimeout(resolve, latencyMs));
          return handler(request, env);
        }
      : handler;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch, hostname: '127.0.0.1', port: options.port ?? 0 }, () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>(resolve => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

function parseMaybeJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
