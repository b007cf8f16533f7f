/**
 * @module services/reconcile/observed-state
 * What each backend holds, read with list calls (one sweep per backend, never one call per
 * project) in parallel. A backend that fails leaves its part undefined and says why.
 */
import { DomainError, isDomainError } from '../../domain/errors.js';
import type { CiRepo } from '../../ports/ci-server.port.js';
import type { ManagedWorkload } from '../../ports/deployer.port.js';
import type { ClusterInNamespace } from '../../ports/database.port.js';
import type { DnsRecord } from '../../ports/dns-provider.port.js';
import type { GitHost, GitRepo } from '../../ports/git-host.port.js';
import type { AppContext } from '../shared/app-context.js';
import type { BackendSlot } from '../shared/backends.js';
import type { BackendProbe } from '../../ports/backend-probe.port.js';

export interface ObservedState {
  git?: { org: string; repos: GitRepo[] };
  ci?: CiRepo[];
  dns?: { zone: string; records: DnsRecord[] };
  deployer?: ManagedWorkload[];
  /** Every CloudNativePG Cluster in the namespace, ours or not; empty when the cluster has no such CRD. */
  databases?: ClusterInNamespace[];
  /** Per backend: "ok", "not_configured", or the error text. */
  backends: Record<string, string>;
}

export async function observeBackends(app: AppContext): Promise<ObservedState> {
  const backends: Record<string, string> = {};
  const read = async <P extends BackendProbe, T>(
    name: string,
    slot: BackendSlot<P>,
    fn: (port: P) => Promise<T>,
  ): Promise<T | undefined> => {
    if (slot.info.mode === 'none') {
      backends[name] = 'not_configured';
      return undefined;
    }
    try {
      const value = await fn(await slot.get());
      backends[name] = 'ok';
      return value;
    } catch (error) {
      backends[name] =
        isDomainError(error) && error.code !== 'INTERNAL'
          ? error.toText()
          : 'INTERNAL: listing failed (see the server log)';
      app.logger.warn('reconcile could not list a backend', { backend: name, err: error });
      return undefined;
    }
  };
  const [git, ci, dns, deployer, databases] = await Promise.all([
    read('git', app.backends.git, async (git) => ({ org: git.org, repos: await allRepos(git) })),
    read('ci', app.backends.ci, (ci) => ci.listRepos()),
    read('dns', app.backends.dns, async (dns) => ({ zone: dns.zone, records: await dns.listRecords() })),
    read('deployer', app.backends.deployer, (deployer) => deployer.listManaged()),
    // No CloudNativePG on the cluster (the list is 404): no databases, not a failure.
    read('database', app.backends.deployer, (deployer) =>
      deployer.listDatabases().catch((error) => {
        if (isDomainError(error) && error.code === 'NOT_FOUND') return [];
        throw error;
      }),
    ),
  ]);
  return { git, ci, dns, deployer, databases, backends };
}

/** Pages are bounded so a misbehaving server cannot loop us forever (2,000 × 50 repositories). */
const MAX_PAGES = 2000;

async function allRepos(git: GitHost): Promise<GitRepo[]> {
  const repos: GitRepo[] = [];
  let page: number | undefined = 1;
  for (let i = 0; page !== undefined; i++) {
    // A truncated list would make reconcile report existing repositories as missing: fail instead.
    if (i === MAX_PAGES)
      throw new DomainError(
        'UPSTREAM_UNAVAILABLE',
        `the git host listed more than ${MAX_PAGES} pages of repositories`,
        {
          hint: 'The git organization is larger than reconcile reads; use get_project to check single projects',
          retryable: false,
        },
      );
    const result: { items: GitRepo[]; nextPage?: number } = await git.listRepos({ page, limit: 50 });
    repos.push(...result.items);
    page = result.nextPage;
  }
  return repos;
}
