/**
 * The Gitea adapter's boundary behaviour against a real HTTP server that misbehaves on purpose:
 * retries only for idempotent calls, deadlines, error translation without leaking the token or
 * the upstream body, and Link-header pagination.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, assert, describe, expect, it } from 'vitest';
import { SCOPE_HINT } from '../../src/adapters/gitea/gitea-errors.js';
import { GiteaGitHost } from '../../src/adapters/gitea/gitea-git-host.js';
import { DomainError } from '../../src/domain/errors.js';
import { nextPageFromLink } from '../../src/adapters/gitea/gitea-pagination.js';

const TOKEN = 'tok-0123456789abcdef';
const servers: Server[] = [];

async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

const host = (url: string, extra: Partial<ConstructorParameters<typeof GiteaGitHost>[0]> = {}) =>
  new GiteaGitHost({ url, token: TOKEN, org: 'threesix', backoffMs: 5, ...extra });

const fail =
  (status: number, headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse) =>
    res
      .writeHead(status, { 'content-type': 'application/json', ...headers })
      .end(JSON.stringify({ message: `SECRET-BODY ${TOKEN}` }));

afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

describe('Gitea adapter at the boundary', () => {
  it('retries an idempotent GET on 503 and then succeeds', async () => {
    let n = 0;
    const { url, hits } = await serve((req, res) =>
      ++n < 3
        ? fail(503)(req, res)
        : res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify({ name: 'main', commit: { id: 'a'.repeat(40) } })),
    );
    expect(await host(url).getBranchHead('app', 'main')).toEqual({ sha: 'a'.repeat(40) });
    expect(hits).toHaveLength(3);
  });

  it('never repeats a POST, and reports 5xx as retryable UPSTREAM_UNAVAILABLE', async () => {
    const { url, hits } = await serve(fail(502));
    const error = await host(url)
      .createRepo({ name: 'app', description: '', private: false, autoInit: false })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryable: true });
    expect(hits).toEqual(['POST /api/v1/orgs/threesix/repos']);
  });

  it('retries a 429 after its Retry-After, then passes the last Retry-After on', async () => {
    let n = 0;
    const { url, hits } = await serve((req, res) => fail(429, { 'retry-after': ++n === 1 ? '0' : '7' })(req, res));
    await expect(host(url, { retries: 1 }).getRepo('app')).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      retryAfterMs: 7000,
    });
    expect(hits).toHaveLength(2);
  });

  it('gives up on a silent server after the deadline with TIMEOUT', async () => {
    const { url } = await serve(() => undefined);
    const started = Date.now();
    await expect(host(url, { timeoutMs: 200, retries: 0 }).getRepo('app')).rejects.toMatchObject({
      code: 'TIMEOUT',
      retryable: true,
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports an unreachable server as UPSTREAM_UNAVAILABLE', async () => {
    const { url } = await serve(() => undefined);
    servers.pop()!.close();
    await expect(host(url, { retries: 1 }).listRepos()).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
  });

  it.each([
    [401, 'PERMISSION_DENIED'],
    [403, 'PERMISSION_DENIED'],
    [404, 'NOT_FOUND'],
    [409, 'CONFLICT'],
    [422, 'INVALID_INPUT'],
  ])('translates HTTP %i to %s without the token or the upstream body', async (status, code) => {
    const { url, hits } = await serve(fail(status));
    const error = await host(url)
      .addCollaborator('app', 'alice', 'read')
      .catch((e: unknown) => e);
    assert.instanceOf(error, DomainError);
    expect(error.code).toBe(code);
    expect(hits).toHaveLength(1);
    const shown = `${error.toText()} ${JSON.stringify(error.details ?? {})}`;
    expect(shown).not.toContain(TOKEN);
    expect(shown).not.toContain('SECRET-BODY');
    if (status === 401 || status === 403) expect(error.hint).toBe(SCOPE_HINT);
  });

  it('sends the token only in the Authorization header', async () => {
    let auth: string | undefined;
    const { url, hits } = await serve((req, res) => {
      auth = req.headers.authorization;
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"login":"me"}');
    });
    await host(url).probe();
    expect(auth).toBe(`Bearer ${TOKEN}`);
    expect(hits.join(' ')).not.toContain(TOKEN);
  });

  it('deletes a repository it created when marking it as managed fails, so no unmarked repository stays behind', async () => {
    const { url, hits } = await serve((req, res) => {
      if (req.method === 'POST')
        return res
          .writeHead(201, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: 1, name: 'app', full_name: 'threesix/app' }));
      if (req.method === 'DELETE') return res.writeHead(204).end();
      return fail(503)(req, res);
    });
    await expect(
      host(url, { retries: 1 }).createRepo({ name: 'app', description: '', private: false, autoInit: true }),
    ).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(hits).toEqual([
      'POST /api/v1/orgs/threesix/repos',
      'PUT /api/v1/repos/threesix/app/topics/threesix-managed',
      'PUT /api/v1/repos/threesix/app/topics/threesix-managed',
      'DELETE /api/v1/repos/threesix/app',
    ]);
  });

  it('reads the next page from a Link header', () => {
    const link =
      '<https://git.example/api/v1/orgs/x/repos?limit=2&page=3>; rel="next",<https://git.example/api/v1/orgs/x/repos?limit=2&page=9>; rel="last"';
    expect(nextPageFromLink(link)).toBe(3);
    expect(nextPageFromLink('<https://git.example/api/v1/orgs/x/repos?page=1>; rel="first"')).toBeUndefined();
    expect(nextPageFromLink(null)).toBeUndefined();
  });
});
