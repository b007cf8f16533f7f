/**
 * The Gitea adapter with a token holding exactly the scopes the configuration documents for
 * GITEA_TOKEN (src/config.ts, README, the secret template), enforced by the stand-in per route as
 * Gitea does. An unscoped sandbox token hides a call outside them, which in production fails
 * readiness (/readyz) or `doctor`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GiteaGitHost } from '../../src/adapters/gitea/gitea-git-host.js';
import { EnvSchema } from '../../src/config.js';
import { startValidatedGitea, type ValidatedGitea } from '../support/gitea-stand-in.js';
import { describeGitHostContract } from './git-host.contract.js';

const DOCUMENTED = /scopes ([^)]+)\)/.exec(EnvSchema.shape.GITEA_TOKEN.description ?? '')![1]!.split(/,\s*/);

describe('Gitea token with only the documented scopes', () => {
  let stand: ValidatedGitea;
  let host: GiteaGitHost;
  beforeAll(async () => {
    stand = await startValidatedGitea({ scopes: DOCUMENTED });
    host = new GiteaGitHost({ url: stand.gitea.url, token: stand.gitea.token, org: stand.gitea.org, timeoutMs: 5000 });
  });
  afterAll(async () => {
    await stand?.stop();
  });

  it('documents write:organization and write:repository, and the stand-in enforces them', async () => {
    expect(DOCUMENTED).toEqual(['write:organization', 'write:repository']);
    const user = await fetch(`${stand.gitea.url}/api/v1/user`, {
      headers: { authorization: `token ${stand.gitea.token}` },
    });
    expect(user.status).toBe(403);
  });

  it('passes the readiness probe', async () => {
    await expect(host.probe()).resolves.toBeUndefined();
    expect(stand.takeViolations()).toEqual([]);
  });

  it('passes every doctor row', async () => {
    const checks = await host.diagnose();
    expect(checks.filter((check) => !check.ok)).toEqual([]);
    expect(checks.map((check) => check.check)).toEqual(
      expect.arrayContaining(['gitea version', 'token', 'organization']),
    );
    expect(stand.takeViolations()).toEqual([]);
  });
});

describeGitHostContract('gitea-js adapter, token with only the documented scopes', async () => {
  const stand = await startValidatedGitea({ scopes: DOCUMENTED });
  return {
    host: new GiteaGitHost({ url: stand.gitea.url, token: stand.gitea.token, org: stand.gitea.org, timeoutMs: 5000 }),
    existingUser: 'alice',
    afterEach: () => expect(stand.takeViolations()).toEqual([]),
    close: () => stand.stop(),
  };
});
