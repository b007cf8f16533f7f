/**
 * /readyz gates only on what this replica needs (its state store; answering at all means HTTP is
 * up), so an outage of a backend every replica shares does not take the whole Service down.
 * Backends are probed through their real adapters; Gitea here points at a closed port.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../src/http/health-routes.js';
import type { AppContext } from '../../src/services/shared/app-context.js';
import { createTestApp } from '../support/test-app.js';

const unreachableGitea = { GITEA_URL: 'http://127.0.0.1:9', GITEA_TOKEN: 'x' };
const ask = async (app: AppContext, path: string) => {
  const response = await healthRoutes(app, 2000).request(path);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('/readyz', () => {
  let app: AppContext | undefined;
  afterEach(async () => {
    await app?.store.close().catch(() => undefined);
    app = undefined;
  });

  it('stays ready when a configured backend is down: only the database counts', async () => {
    app = await createTestApp({ env: unreachableGitea });
    expect(await ask(app, '/readyz')).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: { ok: true } } },
    });
  });

  it('?verbose and ?verbose=1 name the failing backend and still answer 200', async () => {
    app = await createTestApp({ env: unreachableGitea });
    for (const path of ['/readyz?verbose', '/readyz?verbose=1', '/readyz?verbose=true']) {
      const { status, body } = await ask(app, path);
      expect(status, path).toBe(200);
      expect(body, path).toMatchObject({
        status: 'degraded',
        failing: ['git'],
        checks: { database: { ok: true }, git: { ok: false } },
      });
      expect(JSON.stringify(body), path).not.toContain('127.0.0.1');
    }
  });

  it('?verbose=0 is the short answer', async () => {
    app = await createTestApp({ env: unreachableGitea });
    expect((await ask(app, '/readyz?verbose=0')).body).toEqual({ status: 'ready', checks: { database: { ok: true } } });
  });

  it('verbose with every backend passing (none configured) is ready with nothing failing', async () => {
    app = await createTestApp();
    expect(await ask(app, '/readyz?verbose')).toEqual({
      status: 200,
      body: { status: 'ready', checks: { database: { ok: true } }, failing: [] },
    });
  });

  it('answers 503 when the state store does not answer, without its error text', async () => {
    app = await createTestApp({ env: unreachableGitea });
    await app.store.close();
    expect(await ask(app, '/readyz')).toEqual({
      status: 503,
      body: { status: 'not ready', checks: { database: { ok: false, detail: 'database unavailable' } } },
    });
    const verbose = await ask(app, '/readyz?verbose');
    expect(verbose.status).toBe(503);
    expect(verbose.body).toMatchObject({
      status: 'not ready',
      checks: { database: { ok: false }, git: { ok: false } },
    });
  });
});
