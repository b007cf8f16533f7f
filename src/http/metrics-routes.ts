/**
 * @module http/metrics-routes
 * `GET /metrics` for Prometheus. Mounted through `protectedRoutes`, so it sits behind the same
 * bearer token and host guard as /mcp: tool names and error rates are nobody else's business.
 */
import { Hono } from 'hono';
import type { Metrics } from '../services/shared/metrics.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export function metricsRoutes(metrics: Metrics): Hono {
  const routes = new Hono();
  routes.get('/metrics', (c) =>
    c.body(metrics.render(), 200, { 'Content-Type': METRICS_CONTENT_TYPE, 'Cache-Control': 'no-store' }),
  );
  return routes;
}
