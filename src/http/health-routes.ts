/**
 * @module http/health-routes
 * `/healthz` says the process is up. `/readyz` says this replica can take requests: it answers
 * HTTP and its state store answers. It deliberately does not gate on Gitea, Woodpecker, DNS, the
 * registry or the cluster: those are shared by every replica, so a backend outage would take every
 * pod out of the Service at once and make /mcp and the CI webhook unreachable, although most tools
 * and every error message with its hint still work. `/readyz?verbose` (or `?verbose=1`) also probes
 * each configured backend and names the failing ones in the body, still 200 while the store
 * answers; `doctor` goes deeper.
 */
import { Hono } from 'hono';
import { backendEntries, type AppContext } from '../services/shared/app-context.js';
import { withTimeout } from '../services/shared/with-timeout.js';

type Check = { ok: boolean; detail?: string };

export function healthRoutes(app: AppContext, probeTimeoutMs = 3000): Hono {
  const routes = new Hono();
  routes.get('/healthz', (c) => c.json({ status: 'ok', version: app.version }));
  routes.get('/readyz', async (c) => {
    const verbose = isVerbose(c.req.query('verbose'));
    const [database, backends] = await Promise.all([
      probeDatabase(app, probeTimeoutMs),
      verbose ? probeBackends(app, probeTimeoutMs) : Promise.resolve<Record<string, Check>>({}),
    ]);
    if (!database.ok) return c.json({ status: 'not ready', checks: { database, ...backends } }, 503);
    if (!verbose) return c.json({ status: 'ready', checks: { database } }, 200);
    const failing = Object.entries(backends)
      .filter(([, check]) => !check.ok)
      .map(([name]) => name);
    return c.json({ status: failing.length ? 'degraded' : 'ready', checks: { database, ...backends }, failing }, 200);
  });
  return routes;
}

/** `?verbose`, `?verbose=1`, `?verbose=true`: yes; absent, `0` or `false`: no. */
function isVerbose(value: string | undefined): boolean {
  return value !== undefined && !['0', 'false'].includes(value.toLowerCase());
}

async function probeDatabase(app: AppContext, timeoutMs: number): Promise<Check> {
  try {
    await withTimeout(app.store.ping(), timeoutMs, 'database');
    return { ok: true };
  } catch {
    // No driver text: a PostgreSQL error may carry the host or the user name.
    return { ok: false, detail: 'database unavailable' };
  }
}

async function probeBackends(app: AppContext, timeoutMs: number): Promise<Record<string, Check>> {
  const configured = backendEntries(app.backends).filter(([, slot]) => slot.info.mode !== 'none');
  const results = await Promise.all(
    configured.map(([name, slot]) =>
      withTimeout(
        slot.get().then((port) => port.probe()),
        timeoutMs,
        name,
      )
        .then((): [string, Check] => [name, { ok: true }])
        .catch((error: unknown): [string, Check] => [
          name,
          { ok: false, detail: (error as { code?: string }).code ?? 'unavailable' },
        ]),
    ),
  );
  return Object.fromEntries(results);
}
