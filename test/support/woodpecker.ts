/**
 * Helpers for tests against the Woodpecker stand-in.
 */
import type { Exchange } from '../../src/sandbox/exchange.js';
import type { GiteaStandIn } from '../../src/sandbox/gitea/index.js';
import type { SpecValidator } from './openapi.js';

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
