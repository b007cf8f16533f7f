/**
 * @module adapters/gitea/gitea-diagnose
 * `doctor` checks for Gitea, one row each: the token works, the organization is reachable, and the
 * token's user may create repositories there (the only permission Gitea lets a token observe).
 */
import type { Api } from 'gitea-js';
import { isDomainError } from '../../domain/errors.js';
import type { BackendCheck } from '../../ports/backend-probe.port.js';
import { giteaCall } from './gitea-errors.js';

/**
 * Authenticates the token with a call inside the documented scopes (write:organization covers
 * reading the organization; GET /user would need read:user). A bad token is 401 before any
 * lookup, so a missing organization still proves the token; `doctor` reports that row itself.
 */
export async function verifyToken(api: Api<unknown>, org: string): Promise<void> {
  await giteaCall({ what: `read organization ${org}` }, () => api.orgs.orgGet(org)).catch((error) => {
    if (!(isDomainError(error) && error.code === 'NOT_FOUND')) throw error;
  });
}

/** The token's login when it may read it (read:user), else undefined once the token is verified. */
async function tokenUser(api: Api<unknown>, org: string): Promise<string | undefined> {
  try {
    return (await giteaCall({ what: 'read the token user' }, () => api.user.userGetCurrent())).data.login ?? undefined;
  } catch (error) {
    if (!(isDomainError(error) && error.code === 'PERMISSION_DENIED')) throw error;
    await verifyToken(api, org);
    return undefined;
  }
}

export async function diagnoseGitea(api: Api<unknown>, org: string): Promise<BackendCheck[]> {
  const checks: BackendCheck[] = [];
  const row = async <T>(check: string, run: () => Promise<T>, detail: (value: T) => string): Promise<T | undefined> => {
    try {
      const value = await run();
      checks.push({ check, ok: true, detail: detail(value) });
      return value;
    } catch (error) {
      checks.push({ check, ok: false, detail: isDomainError(error) ? error.toText() : 'unexpected failure' });
      return undefined;
    }
  };
  const version = await row(
    'gitea version',
    () => giteaCall({ what: 'read the Gitea version' }, () => api.version.getVersion()),
    (r) => `Gitea ${r.data.version ?? 'unknown'}`,
  );
  if (!version) return checks;
  const user = await row(
    'token',
    () => tokenUser(api, org),
    (login) =>
      login ? `valid, acting as ${login}` : 'valid (no read:user scope, so its user and permissions are not shown)',
  );
  await row(
    'organization',
    () =>
      giteaCall({ what: `read organization ${org}`, missing: `organization ${org} does not exist` }, () =>
        api.orgs.orgGet(org),
      ),
    () => `${org} is reachable`,
  );
  const login = user;
  if (!login) return checks;
  const perms = await row(
    'permissions',
    () =>
      giteaCall({ what: `read ${login}'s permissions in ${org}` }, () => api.users.orgGetUserPermissions(login, org)),
    (r) =>
      `can create repositories: ${r.data.can_create_repository ? 'yes' : 'no'}; admin: ${r.data.is_admin || r.data.is_owner ? 'yes' : 'no'}`,
  );
  const last = checks[checks.length - 1];
  if (perms && last && !perms.data.can_create_repository) {
    last.ok = false;
    last.detail += `. Make ${login} an owner of ${org} or give its team repository-creation rights`;
  }
  return checks;
}
