/**
 * Woodpecker's routing, as the stand-in reproduces it from woodpecker-ci/woodpecker: /version on
 * the root group (server/router/router.go), every unmatched path answered by the web UI with 200
 * text/html (router.go NoRoute → server/web/web.go handleIndex), and activation of a repository the
 * forge does not have answered 500 (server/api/repo.go PostRepo). The adapter must not take the web
 * UI's page for an answer: with a wrong base path it fails with a message naming the URL.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WoodpeckerCiServer } from '../../src/adapters/woodpecker/woodpecker-ci-server.js';
import type { GiteaStandIn } from '../../src/sandbox/gitea/index.js';
import { startValidatedGitea, type ValidatedGitea } from '../support/gitea-stand-in.js';
import { like } from '../support/matchers.js';
import { createForgeRepo, startCheckedWoodpecker, type CheckedWoodpecker } from '../support/woodpecker.js';

describe('Woodpecker stand-in routing and the adapter on a wrong URL', () => {
  let forge: ValidatedGitea;
  let gitea: GiteaStandIn;
  let ci: CheckedWoodpecker;
  beforeAll(async () => {
    forge = await startValidatedGitea();
    gitea = forge.gitea;
    ci = await startCheckedWoodpecker({ giteaUrl: gitea.url, giteaToken: gitea.token });
  });
  afterAll(async () => {
    await ci?.stop();
    await forge?.stop();
  });
  // Every exchange is spec-checked; the tests that call unknown paths on purpose take those first.
  afterEach(() => expect([...ci.spec.takeViolations(), ...forge.takeViolations()]).toEqual([]));
  /** The deliberate calls to paths Woodpecker's API does not have are the only violations. */
  const takeDeliberateOffSpecCalls = () => {
    const violations = ci.spec.takeViolations();
    if (ci.spec.enabled) expect(violations.length).toBeGreaterThan(0);
    expect(
      violations.filter(
        (v) => !/ \[route\] (no such operation in the spec|outside the API's base path \/api)$/.test(v),
      ),
    ).toEqual([]);
  };

  it('serves /version at the root; /api/version and other unknown paths get the web UI (200, text/html), without a token', async () => {
    const version = await fetch(`${ci.url}/version`);
    expect(version.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await version.json()).toMatchObject({ version: like.any(String) });
    for (const [method, path] of [
      ['GET', '/api/version'],
      ['GET', '/woodpecker/api/user'],
      ['POST', '/api/no/such/route'],
      ['GET', '/repos/1/pipeline/1'],
    ]) {
      const page = await fetch(`${ci.url}${path}`, { method });
      expect(page.status, `${method} ${path}`).toBe(200);
      expect(page.headers.get('content-type'), `${method} ${path}`).toMatch(/^text\/html/);
      expect(await page.text()).toContain('<title>Woodpecker</title>');
    }
    // A matched route still wants the token.
    expect((await fetch(`${ci.url}/api/user`)).status).toBe(401);
    takeDeliberateOffSpecCalls();
  });

  it('answers 500 "Could not fetch repository from forge." for a repository the forge does not have', async () => {
    const response = await fetch(`${ci.url}/api/repos?forge_remote_id=987654`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ci.token}` },
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('Could not fetch repository from forge.');
  });

  it('the adapter reports that missing repository as NOT_FOUND in the forge, not as Woodpecker being down', async () => {
    const adapter = new WoodpeckerCiServer({ baseUrl: ci.url, token: ci.token });
    const error = await adapter.activate(987654, 'threesix/nowhere').catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'NOT_FOUND',
      message: like.stringMatching(/could not fetch the repository from its forge/),
    });
  });

  it.each([
    ['a path under the server', (url: string) => `${url}/woodpecker`],
    ['the API path itself', (url: string) => `${url}/api`],
  ])('the adapter with %s as its URL fails clearly instead of succeeding on the web UI page', async (_, wrong) => {
    const adapter = new WoodpeckerCiServer({ baseUrl: wrong(ci.url), token: ci.token, retries: 0 });
    const error = (await adapter.probe().catch((e: unknown) => e)) as { code: string; message: string; hint: string };
    expect(error).toMatchObject({ code: 'NOT_CONFIGURED' });
    expect(error.message).toMatch(/HTML page instead of JSON.*wrong WOODPECKER_URL/);
    expect(error.hint).toMatch(/WOODPECKER_URL/);
    await expect(adapter.listRepos()).rejects.toMatchObject({ code: 'NOT_CONFIGURED' });
    const forge = await createForgeRepo(gitea, `routing-${Math.random().toString(36).slice(2, 8)}`);
    await expect(adapter.activate(forge.id, forge.fullName)).rejects.toMatchObject({ code: 'NOT_CONFIGURED' });
    const checks = await adapter.diagnose();
    expect(
      checks.every((c) => !c.ok),
      JSON.stringify(checks),
    ).toBe(true);
    takeDeliberateOffSpecCalls();
  });

  it('diagnose reads the version from /version with the right URL', async () => {
    const checks = await new WoodpeckerCiServer({ baseUrl: ci.url, token: ci.token }).diagnose();
    expect(checks).toEqual([
      { check: 'version', ok: true, detail: like.stringMatching(/^Woodpecker \d+\.\d+\.\d+$/) },
      { check: 'token', ok: true, detail: 'authenticated as threesix-bot' },
    ]);
  });
});
