/**
 * The Woodpecker adapter's boundary: statuses become DomainErrors without the token or the
 * upstream body, only idempotent calls are retried, a slow server hits the deadline, and a 409 on
 * activation is looked up and treated as success only when it really is the same repository.
 */
import { Hono, type Context } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { WoodpeckerCiServer } from '../../src/adapters/woodpecker/woodpecker-ci-server.js';
import { serveStandIn, type ServedStandIn } from '../../src/sandbox/serve-stand-in.js';
import { like } from '../support/matchers.js';

const TOKEN = 'wp-token-never-shown';
let served: ServedStandIn | undefined;
afterEach(async () => served?.close());

async function serverWith(app: Hono, options: { timeoutMs?: number } = {}) {
  served = await serveStandIn(app);
  return new WoodpeckerCiServer({ baseUrl: served.url, token: TOKEN, timeoutMs: options.timeoutMs ?? 2000 });
}

describe('Woodpecker adapter boundary', () => {
  it.each([
    [401, 'PERMISSION_DENIED'],
    [403, 'PERMISSION_DENIED'],
    [404, 'NOT_FOUND'],
    [422, 'INVALID_INPUT'],
    [500, 'UPSTREAM_UNAVAILABLE'],
  ])('translates HTTP %i to %s without the token or the body', async (status, code) => {
    const ci = await serverWith(
      new Hono().all('*', (c) => c.text(`upstream says ${TOKEN} secret-body`, status as 401)),
    );
    const error = (await ci.listPipelines(1).catch((e: unknown) => e)) as Error & { code: string; hint?: string };
    expect(error).toMatchObject({ code });
    expect(`${error.message} ${error.hint ?? ''}`).not.toMatch(/wp-token|secret-body/);
  });

  it('retries a GET on 503 but never repeats a POST', async () => {
    let gets = 0;
    let posts = 0;
    const app = new Hono();
    app.get('/api/repos/:id/pipelines', (c) => (++gets < 3 ? c.text('busy', 503) : c.json([])));
    app.post('/api/repos/:id/repair', (c) => (++posts, c.text('busy', 503)));
    const ci = await serverWith(app);
    await expect(ci.listPipelines(1)).resolves.toEqual([]);
    expect(gets).toBe(3);
    await expect(ci.repairHook(1)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect(posts).toBe(1);
  });

  it('gives up on a server that does not answer within the deadline', async () => {
    const ci = await serverWith(
      new Hono().all('*', () => new Promise<Response>(() => undefined)),
      { timeoutMs: 150 },
    );
    await expect(ci.repairHook(1)).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('sends the token as Bearer', async () => {
    let seen = '';
    const ci = await serverWith(
      new Hono().get('/api/user', (c) => ((seen = c.req.header('authorization') ?? ''), c.json({ login: 'bot' }))),
    );
    await ci.probe();
    expect(seen).toBe(`Bearer ${TOKEN}`);
  });

  it('treats 409 on activation as success only for the same, active repository', async () => {
    const repo = { id: 7, forge_remote_id: '42', full_name: 'threesix/app', active: true };
    const app = new Hono();
    app.post('/api/repos', (c) => c.text('Repository is already active.', 409));
    app.get('/api/repos/lookup/threesix/app', (c) => c.json(repo));
    const ci = await serverWith(app);
    await expect(ci.activate(42, 'threesix/app')).resolves.toMatchObject({ id: 7, forgeRemoteId: 42, active: true });
    await expect(ci.activate(43, 'threesix/app')).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('updates an existing secret with PATCH when POST refuses the duplicate', async () => {
    const calls: string[] = [];
    const app = new Hono();
    app.post('/api/repos/:id/secrets', (c) => (calls.push('POST'), c.text('Error inserting secret', 500)));
    app.patch(
      '/api/repos/:id/secrets/:name',
      async (c) => (
        calls.push(`PATCH ${c.req.param('name')} ${JSON.stringify(await c.req.json())}`),
        c.json({ name: c.req.param('name') })
      ),
    );
    const ci = await serverWith(app);
    await ci.upsertSecret(3, { name: 'threesix_deploy_token', value: 'v', events: ['push'] });
    expect(calls).toEqual([
      'POST',
      'PATCH threesix_deploy_token {"name":"threesix_deploy_token","value":"v","events":["push"]}',
    ]);
  });

  it.each([
    ['an HTML page', (c: Context) => c.html('<!doctype html><title>Woodpecker</title>'), /HTML page instead of JSON/],
    ['plain text', (c: Context) => c.text('ok'), /text\/plain instead of JSON/],
    [
      'JSON that does not parse',
      (c: Context) => c.body('{"login":', 200, { 'content-type': 'application/json' }),
      /not valid JSON/,
    ],
  ])('refuses a 2xx answer that is %s, naming the likely cause (the URL)', async (_, answer, message) => {
    const ci = await serverWith(new Hono().get('/api/user', answer));
    const error = (await ci.probe().catch((e: unknown) => e)) as Error & { code: string; hint?: string };
    expect(error).toMatchObject({
      code: 'NOT_CONFIGURED',
      message: like.stringMatching(message),
      hint: like.stringMatching(/WOODPECKER_URL/),
    });
    expect(`${error.message} ${error.hint}`).not.toMatch(/wp-token/);
  });

  it('accepts an empty 204 (repair) and JSON with a charset', async () => {
    const app = new Hono();
    app.post('/api/repos/:id/repair', (c) => c.body(null, 204));
    app.get('/api/user', (c) => c.body('{"login":"bot"}', 200, { 'content-type': 'application/json; charset=utf-8' }));
    const ci = await serverWith(app);
    await expect(ci.repairHook(1)).resolves.toBeUndefined();
    await expect(ci.probe()).resolves.toBeUndefined();
  });

  it('asks for the version at /version, outside /api (server/router/router.go)', async () => {
    const app = new Hono();
    app.get('/version', (c) => c.json({ source: 'https://github.com/woodpecker-ci/woodpecker', version: '3.17.0' }));
    app.get('/api/user', (c) => c.json({ login: 'bot' }));
    const ci = await serverWith(app);
    expect((await ci.diagnose())[0]).toEqual({ check: 'version', ok: true, detail: 'Woodpecker 3.17.0' });
  });

  it('reads only the fixed texts it knows from an error body: a forge lookup failure on activation is NOT_FOUND', async () => {
    const app = new Hono();
    app.post('/api/repos', (c) => c.text('Could not fetch repository from forge.', 500));
    app.post('/api/repos/:id/repair', (c) => c.text(`some error mentioning ${TOKEN}`, 500));
    const ci = await serverWith(app);
    await expect(ci.activate(5, 'threesix/app')).rejects.toMatchObject({
      code: 'NOT_FOUND',
      hint: like.stringMatching(/exists in Gitea/),
    });
    const other = (await ci.repairHook(1).catch((e: unknown) => e)) as Error & { code: string };
    expect(other.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(other.message).not.toMatch(/wp-token/);
  });
});
