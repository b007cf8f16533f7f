/**
 * OIDC beside agent tokens, with a local issuer served by the test (discovery document and JWKS;
 * keys made with jose): a JWT signed by the issuer's key, for our audience, is accepted with the
 * scope and projects of its claims; a wrong audience, a foreign key, an expired token or a missing
 * subject is 401. The protected resource metadata (RFC 9728) names the issuer.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHttp } from '../../src/main/run-serve.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { createLifecycleApp } from '../support/lifecycle-app.js';
import { connectHttp } from '../support/mcp-clients.js';
import { serveHttp } from '../support/serve-http.js';

const AUDIENCE = 'https://mcp.example.test';

describe('OIDC JWTs on /mcp', () => {
  let issuerServer: Server;
  let issuer: string;
  let key: CryptoKey;
  let foreignKey: CryptoKey;
  let http: RunningHttp;
  let url: URL;

  const jwt = (
    claims: Record<string, unknown>,
    options: { signWith?: CryptoKey; audience?: string; expires?: string } = {},
  ) => {
    const token = new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer(issuer)
      .setAudience(options.audience ?? AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(options.expires ?? '5m');
    return token.sign(options.signWith ?? key);
  };
  const initialize = (token: string) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }),
    });

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    key = pair.privateKey;
    ({ privateKey: foreignKey } = await generateKeyPair('ES256'));
    // Only the public key is published; the private one never leaves the test.
    const publicJwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256', use: 'sig' };
    issuerServer = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/.well-known/openid-configuration')
        return void res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
      if (req.url === '/jwks') return void res.end(JSON.stringify({ keys: [publicJwk] }));
      res.statusCode = 404;
      res.end('{}');
    });
    await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
    issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
    const lc = await createLifecycleApp({ THREESIX_OIDC_ISSUER: issuer, THREESIX_OIDC_AUDIENCE: AUDIENCE });
    await createProject(lc.app, { name: 'team-a-one' });
    await createProject(lc.app, { name: 'team-b-one' });
    http = await serveHttp(lc.app);
    url = new URL(`${http.url}/mcp`);
  });
  afterAll(async () => {
    await http?.close();
    await new Promise((resolve) => issuerServer?.close(resolve));
  });

  it('accepts a JWT of the issuer with the scope and projects of its claims', async () => {
    const token = await jwt({ sub: 'alice', threesix_scope: 'openid threesix:read', threesix_projects: ['team-a-*'] });
    const client = await connectHttp(url, { Authorization: `Bearer ${token}` });
    try {
      const { tools } = await client.listTools();
      for (const tool of tools) expect(tool.annotations?.readOnlyHint, tool.name).toBe(true);
      const listed = (await client.callTool({ name: 'list_projects', arguments: {} })) as unknown as {
        structuredContent: { projects: Array<{ name: string }> };
      };
      expect(listed.structuredContent.projects.map((p) => p.name)).toEqual(['team-a-one']);
    } finally {
      await client.close();
    }
  });

  it('refuses a wrong audience, a foreign key, an expired token, no subject and no token (401)', async () => {
    expect((await initialize(await jwt({ sub: 'alice' }, { audience: 'https://elsewhere.example' }))).status).toBe(401);
    expect((await initialize(await jwt({ sub: 'alice' }, { signWith: foreignKey }))).status).toBe(401);
    expect((await initialize(await jwt({ sub: 'alice' }, { expires: '-1m' }))).status).toBe(401);
    expect((await initialize(await jwt({}))).status).toBe(401);
    expect((await initialize('not-a-jwt')).status).toBe(401);
    expect((await initialize(await jwt({ sub: 'alice' }))).status).toBe(200);
  });

  it('publishes protected resource metadata naming the issuer, and 401s point at it', async () => {
    const metadata = (await (await fetch(new URL('/.well-known/oauth-protected-resource', url))).json()) as {
      resource: string;
    };
    expect(metadata).toMatchObject({
      authorization_servers: [issuer],
      bearer_methods_supported: ['header'],
      scopes_supported: ['read', 'write', 'admin'],
    });
    expect(metadata.resource).toMatch(/\/mcp$/);
    const refused = await initialize('not-a-jwt');
    expect(refused.headers.get('www-authenticate')).toContain('resource_metadata="http://127.0.0.1:');
  });
});
