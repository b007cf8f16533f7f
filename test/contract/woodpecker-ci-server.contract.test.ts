/**
 * The CiServer contract against the Woodpecker adapter: over the stand-in (every exchange checked
 * against Woodpecker's swagger.json) with a Gitea stand-in as its forge, and against a real
 * Woodpecker when WOODPECKER_URL/WOODPECKER_TOKEN (and WOODPECKER_TEST_FORGE_REPO_ID +
 * WOODPECKER_TEST_FORGE_REPO, a repository on its forge) are set.
 */
import { describe, expect } from 'vitest';
import { WoodpeckerCiServer } from '../../src/adapters/woodpecker/woodpecker-ci-server.js';
import { startValidatedGitea } from '../support/gitea-stand-in.js';
import { createForgeRepo, startCheckedWoodpecker } from '../support/woodpecker.js';
import { describeCiServerContract } from './ci-server.contract.js';

describe('Woodpecker adapter over the stand-in', () => {
  let count = 0;
  describeCiServerContract('woodpecker stand-in', async () => {
    // The forge is checked too: the CI stand-in registers its hook through Gitea's API.
    const forge = await startValidatedGitea();
    const ci = await startCheckedWoodpecker({ giteaUrl: forge.gitea.url, giteaToken: forge.gitea.token });
    return {
      ci: new WoodpeckerCiServer({ baseUrl: ci.url, token: ci.token }),
      forgeRepo: () => createForgeRepo(forge.gitea, `contract-${++count}`),
      cleanup: async () => {
        await ci.stop();
        await forge.stop();
        expect([...ci.spec.takeViolations(), ...forge.takeViolations()]).toEqual([]);
      },
    };
  });
});

const real =
  process.env.WOODPECKER_URL &&
  process.env.WOODPECKER_TOKEN &&
  process.env.WOODPECKER_TEST_FORGE_REPO_ID &&
  process.env.WOODPECKER_TEST_FORGE_REPO;
describe.skipIf(!real)(
  'Woodpecker adapter against a real Woodpecker (WOODPECKER_URL, WOODPECKER_TOKEN, WOODPECKER_TEST_FORGE_REPO_ID, WOODPECKER_TEST_FORGE_REPO)',
  () => {
    describeCiServerContract('real woodpecker', () => ({
      ci: new WoodpeckerCiServer({ baseUrl: process.env.WOODPECKER_URL!, token: process.env.WOODPECKER_TOKEN! }),
      forgeRepo: () => ({
        id: Number(process.env.WOODPECKER_TEST_FORGE_REPO_ID),
        fullName: process.env.WOODPECKER_TEST_FORGE_REPO!,
      }),
    }));
  },
);
