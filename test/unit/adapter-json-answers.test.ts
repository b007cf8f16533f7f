/**
 * "Content type of every answer": an adapter that expects JSON must not take a web page for an
 * answer. Behind a wrong URL or base path, a proxy or a web UI answers 200 with HTML (Woodpecker
 * does so for every unknown path, see woodpecker-stand-in-routing.test.ts); each HTTP helper turns
 * that into NOT_CONFIGURED naming the variable to check, instead of empty data or a raw parse error.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCloudflareDnsProvider } from '../../src/adapters/cloudflare/cloudflare-dns-provider.js';
import { GiteaGitHost } from '../../src/adapters/gitea/gitea-git-host.js';
import { createPowerDnsProvider } from '../../src/adapters/powerdns/powerdns-dns-provider.js';
import { OciImageRegistry } from '../../src/adapters/registry/oci-image-registry.js';
import { like } from '../support/matchers.js';

const servers: Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const page = (status: number) => (_req: IncomingMessage, res: ServerResponse) =>
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Sign in</title>');

describe('Gitea helper (gitea-fetch.ts)', () => {
  const gitea = (url: string) =>
    new GiteaGitHost({ url, token: 'tok-never-shown', org: 'threesix', backoffMs: 5, retries: 0 });

  it('refuses a 200 HTML page: NOT_CONFIGURED naming GITEA_URL, not empty data', async () => {
    const error = (await gitea(await serve(page(200)))
      .getRepo('app')
      .catch((e: unknown) => e)) as { code: string; message: string; hint: string };
    expect(error).toMatchObject({
      code: 'NOT_CONFIGURED',
      message: like.stringMatching(/HTML page instead of JSON.*GITEA_URL/),
      hint: like.stringMatching(/GITEA_URL/),
    });
    expect(error.message).toContain('/api/v1/repos/threesix/app');
  });

  it('takes a 404 HTML page (a web route, not the API) for a wrong URL, not for a missing repository', async () => {
    await expect(gitea(await serve(page(404))).getRepo('app')).rejects.toMatchObject({ code: 'NOT_CONFIGURED' });
  });

  it("still reads the API's own JSON 404 as NOT_FOUND, and a proxy's 502 page as a retryable outage", async () => {
    const json404 = await serve((_req, res) =>
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not found"}'),
    );
    await expect(gitea(json404).getRepo('app')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(gitea(await serve(page(502))).getRepo('app')).rejects.toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE',
      retryable: true,
    });
  });
});

describe('PowerDNS helper (powerdns-http.ts)', () => {
  const pdns = (apiUrl: string) =>
    createPowerDnsProvider({ apiUrl, apiKey: 'key-never-shown', serverId: 'localhost', zone: 'example.test' });

  it('refuses a 200 HTML page: NOT_CONFIGURED naming PDNS_API_URL, not a JSON parse error', async () => {
    const error = (await pdns(await serve(page(200)))
      .listRecords()
      .catch((e: unknown) => e)) as { code: string; message: string; hint: string };
    expect(error).toMatchObject({
      code: 'NOT_CONFIGURED',
      message: like.stringMatching(/an HTML page instead of JSON.*PDNS_API_URL/),
      hint: like.stringMatching(/PDNS_API_URL/),
    });
    expect(`${error.message} ${error.hint}`).not.toContain('key-never-shown');
  });

  it('refuses JSON-typed text that does not parse, and plain text', async () => {
    const broken = await serve((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"rrsets":'),
    );
    await expect(pdns(broken).listRecords()).rejects.toMatchObject({
      code: 'NOT_CONFIGURED',
      message: like.stringMatching(/not valid JSON/),
    });
    const text = await serve((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    await expect(pdns(text).listRecords()).rejects.toMatchObject({
      code: 'NOT_CONFIGURED',
      message: like.stringMatching(/text\/plain/),
    });
  });
});

describe('registry helper (oci-image-registry.ts)', () => {
  it('does not pass the probe on a web page, nor hash a web page as the manifest', async () => {
    const registry = new OciImageRegistry({ url: await serve(page(200)) });
    await expect(registry.probe()).rejects.toMatchObject({
      code: 'NOT_CONFIGURED',
      message: like.stringMatching(/HTML page.*REGISTRY_URL/),
      hint: like.stringMatching(/REGISTRY_URL/),
    });
    await expect(registry.resolve('threesix/app', 'a'.repeat(40))).rejects.toMatchObject({ code: 'NOT_CONFIGURED' });
  });
});

describe('Cloudflare SDK (cloudflare-json-fetch.ts)', () => {
  const cloudflare = (baseURL: string) =>
    createCloudflareDnsProvider({
      apiToken: 'cf-token-never-shown',
      zoneId: 'zone-1',
      zone: 'example.test',
      baseURL,
      retry: { attempts: 3, maxWaitMs: 10, baseDelayMs: 1 },
    });

  it('refuses a 200 HTML page once, without retrying: NOT_CONFIGURED naming CLOUDFLARE_API_URL, not an empty list', async () => {
    let requests = 0;
    const url = await serve((req, res) => {
      requests++;
      page(200)(req, res);
    });
    const error = (await cloudflare(url)
      .listRecords()
      .catch((e: unknown) => e)) as { code: string; message: string; hint: string };
    expect(error).toMatchObject({
      code: 'NOT_CONFIGURED',
      message: like.stringMatching(/200 text\/html.*CLOUDFLARE_API_URL/),
      hint: like.stringMatching(/CLOUDFLARE_API_URL/),
    });
    expect(`${error.message} ${error.hint}`).not.toContain('cf-token-never-shown');
    expect(requests).toBe(1);
    await expect(cloudflare(url).probe()).rejects.toMatchObject({ code: 'NOT_CONFIGURED' });
  });

  it("still reads the API's own JSON error as before", async () => {
    const url = await serve((_req, res) =>
      res.writeHead(403, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          success: false,
          errors: [{ code: 10000, message: 'Authentication error' }],
          messages: [],
          result: null,
        }),
      ),
    );
    await expect(cloudflare(url).listRecords()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});
