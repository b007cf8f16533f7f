/**
 * The CiServer contract against the Woodpecker adapter: over the stand-in (every exchange checked
 * against Woodpecker's swagger.json) with a Gitea stand-in as its forge, and against a real
 * Woodpecker when WOODPECKER_URL/WOODPECKER_TOKEN (and WOODPECKER_TEST_FORGE_REPO_ID +
 * WOODPECKER_TEST_FORGE_REPO, a repository on its forge) are set.
 */
import { afterAll, describe, expect } from 'vitest';
import { WoodpeckerCiServer } from '../../src/adapters/woodpecker/woodpecker-ci-server.js';
import type { Exchange } from '../../src/sandbox/exchange.js';
import { startGiteaStandIn, type GiteaStandIn } from '../../src/sandbox/gitea/index.js';
import { startWoodpeckerStandIn } from '../../src/sandbox/woodpecker/index.js';
import { SpecValidator } from '../support/openapi.js';
import { SPECS_PRESENT } from '../support/specs.js';
import { tempDir } from '../support/test-app.js';
import { describeCiServerContract } from './ci-server.contract.js';

/**
 * Woodpecker routes `/repos/lookup/*repo_full_name` (a gin wildcard that spans the slash), which
 * swagger writes as one `{repo_full_name}` segment; the validator matches one segment, so the
 * slash is encoded for it. Narrow, documented exception; the stand-in serves the real path.
 */
export function woodpeckerObserver(validator: SpecValidator) {
  return (exchange: Exchange) => {
    const path = exchange.path.replace(/^(\/api\/repos\/lookup\/[^/]+)\/([^/]+)$/, '$1%2F$2');
    validator.check({ ...exchange, path });
  };
}

export async function createForgeRepo(gitea: GiteaStandIn, name: string): Promise<{ id: number; fullName: string }> {
  const response = await fetch(`${gitea.url}/api/v1/orgs/${gitea.org}/repos`, {
    method: 'POST',
    headers: { authorization: `token ${gitea.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, auto_init: true, default_branch: 'main' }),
  });
  const repo = (await response.json()) as { id: number; full_name: string };
  return { id: repo.id, fullName: repo.full_name };
}

describe.skipIf(!SPECS_PRESENT)('Woodpecker adapter over the stand-in', () => {
  const validator = SPECS_PRESENT ? new SpecValidator('woodpecker/swagger.json') : undefined;
  let count = 0;
  describeCiServerContract('woodpecker stand-in', async () => {
    const gitea = await startGiteaStandIn({ dataDir: tempDir('threesix-wp-gitea-') });
    const ci = await startWoodpeckerStandIn({ giteaUrl: gitea.url, giteaToken: gitea.token, org: gitea.org, observer: woodpeckerObserver(validator!) });
    return {
      ci: new WoodpeckerCiServer({ baseUrl: ci.url, token: ci.token }),
      forgeRepo: () => createForgeRepo(gitea, `contract-${++count}`),
      cleanup: async () => {
        await ci.stop();
        await gitea.stop();
        expect(validator!.violations).toEqual([]);
      },
    };
  });
  afterAll(() => expect(validator!.violations).toEqual([]));
});

const real = process.env.WOODPECKER_URL && process.env.WOODPECKER_TOKEN && process.env.WOODPECKER_TEST_FORGE_REPO_ID && process.env.WOODPECKER_TEST_FORGE_REPO;
describe.skipIf(!real)('Woodpecker adapter against a real Woodpecker (WOODPECKER_URL, WOODPECKER_TOKEN, WOODPECKER_TEST_FORGE_REPO_ID, WOODPECKER_TEST_FORGE_REPO)', () => {
  describeCiServerContract('real woodpecker', async () => ({
    ci: new WoodpeckerCiServer({ baseUrl: process.env.WOODPECKER_URL!, token: process.env.WOODPECKER_TOKEN! }),
    forgeRepo: async () => ({ id: Number(process.env.WOODPECKER_TEST_FORGE_REPO_ID), fullName: process.env.WOODPECKER_TEST_FORGE_REPO! }),
  }));
});
