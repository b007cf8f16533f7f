/**
 * @module http/health-routes
 * `/healthz` says the process is up; `/readyz` says it can do its job: the database answers and
 * every configured backend passes its probe within a time bound.
 */
import { Hono } from 'hono';
import type { BackendProbe } from '../ports/backend-probe.port.js';
import type { AppContext } from '../services/app-context.js';
import { withTimeout } from '../services/with-timeout.js';

export function healthRoutes(app: AppContext, probeTimeoutMs = 3000): Hono {
  const routes = new Hono();
  routes.get('/healthz', c => c.json({ status: 'ok', version: app.version }));
  routes.get('/readyz', async c => {
    const checks: Record<string, { ok: boolean; detail?: string }> = {};
    await Promise.all([
      withTimeout(app.store.ping(), probeTimeoutMs, 'database')
        .then(() => void (checks.database = { ok: true }))
        .catch(() => void (checks.database = { ok: false, detail: 'database unavailable' })),
      ...Object.entries(app.backends)
        .filter(([, slot]) => slot.info.mode !== 'none')
        .map(([name, slot]) =>
          withTimeout(slot.get().then((port: BackendProbe) => port.probe()), probeTimeoutMs, name)
            .then(() => void (checks[name] = { ok: true }))
            .catch((error: unknown) => void (checks[name] = { ok: false, detail: (error as { code?: string }).code ?? 'unavailable' })),
        ),
    ]);
    const ready = Object.values(checks).every(check => check.ok);
    return c.json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
  });
  return routes;
}
