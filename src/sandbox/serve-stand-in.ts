/**
 * @module sandbox/serve-stand-in
 * Runs a stand-in's Hono app on a loopback port and reports each JSON exchange to an observer: the
 * one given, and the one in force where it is started (`withExchangeObserver`). The second is how
 * `startSandbox` reports every stand-in's exchanges without each stand-in having to pass it on, so
 * one added later cannot forget to.
 */
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { AddressInfo } from 'node:net';
import type { ExchangeObserver } from './exchange.js';

const ambientObserver = new AsyncLocalStorage<ExchangeObserver>();

/** Runs `start`; every stand-in served within it also reports its exchanges to `observer`. */
export function withExchangeObserver<T>(observer: ExchangeObserver, start: () => Promise<T>): Promise<T> {
  return ambientObserver.run(observer, start);
}

export interface ServedStandIn {
  url: string;
  port: number;
  close: () => Promise<void>;
}

export interface ServeStandInOptions {
  port?: number;
  /** Receives every exchange (tests validate them against the vendor spec). */
  observer?: ExchangeObserver;
  /** Delay added to every response, to model a remote backend (benchmarks, crash tests). */
  latencyMs?: number;
}

export async function serveStandIn(app: Hono, options: ServeStandInOptions = {}): Promise<ServedStandIn> {
  const observers = [options.observer, ambientObserver.getStore()].filter(
    (o): o is ExchangeObserver => o !== undefined,
  );
  const observer: ExchangeObserver | undefined = observers.length
    ? (exchange) => observers.forEach((o) => o(exchange))
    : undefined;
  const latencyMs = options.latencyMs ?? 0;
  const handler = observer
    ? async (request: Request, env?: unknown) => {
        const requestText = await request
          .clone()
          .text()
          .catch(() => '');
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
          await new Promise((resolve) => setTimeout(resolve, latencyMs));
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
      new Promise<void>((resolve) => {
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
