import { expect } from 'vitest';
import { GiteaGitHost } from '../../src/adapters/gitea/gitea-git-host.js';
import { startValidatedGitea } from '../support/gitea-stand-in.js';
import { describeGitHostContract } from './git-host.contract.js';

describeGitHostContract('gitea-js adapter against the Gitea stand-in (spec-validated)', async () => {
  const stand = await startValidatedGitea();
  const host = new GiteaGitHost({
    url: stand.gitea.url,
    token: stand.gitea.token,
    org: stand.gitea.org,
    timeoutMs: 5000,
  });
  return {
    host,
    existingUser: 'alice',
    afterEach: () => expect(stand.takeViolations()).toEqual([]),
    close: () => stand.stop(),
  };
});

// The same suite against a real Gitea when the test environment points at one.
const realUrl = process.env.GITEA_URL;
const realToken = process.env.GITEA_TOKEN;
describeGitHostContract(
  'gitea-js adapter against the real Gitea at GITEA_URL',
  () => ({
    host: new GiteaGitHost({ url: realUrl!, token: realToken!, org: process.env.GITEA_DEFAULT_ORG ?? 'threesix' }),
    existingUser: process.env.GITEA_TEST_COLLABORATOR ?? 'threesix-test-user',
  }),
  { skip: !(realUrl && realToken) },
);
