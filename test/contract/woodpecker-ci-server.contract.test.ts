/**
 * The CiServer contract against the Woodpecker adapter: over the stand-in (every exchange checked
 * against Woodpecker's swagger.json) with a Gitea stand-in as its forge, and against a real
 * Woodpecker when WOODPECKER_URL/WOODPECKER_TOKEN (and WOODPECKER_TEST_FORGE_REPO_ID +
 * WOODPECKER_TEST_FORGE_REPO, a repository on its forge) are set.
 */
import { afterAll, describe, expect } from 'vitest';
import { WoodpeckerCiServer } from '../../src/adapters/woodpecker/woodpecker-ci-server.js';
import { startGiteaStandIn } from '../../src/sandbox/gitea/index.js';
import { startWoodpeckerStandIn } from '../../src/sandbox/woodpecker/index.js';
import { SpecValidator } from '../support/openapi.js';
import { SPECS_PRESENT } from '../support/specs.js';
import { tempDir } from '../support/test-app.js';
import { createForgeRepo, woodpeckerObserver } from '../support/woodpecker.js';
import { describeCiServerContract } from './ci-server.contract.js';

describe.skipIf(!SPECS_PRESENT)('Woodpecker adapter over the stand-in', () => {
  const validator = SPECS_PRESENT ? new SpecValidator('woodpecker/swagger.json') : undefined;
  let count = 0;
  describeCiServerContract('woodpecker stand-in', async () => {
    const gitea = await startGiteaStandIn({ dataDir: tempDir('threesix-wp-gitea-') });
    const ci = await startWoodpeckerStandIn({ giteaUrl: gitea.url, giteaToken: gitea.token, observer: woodpeckerObserver(validator!) });
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
