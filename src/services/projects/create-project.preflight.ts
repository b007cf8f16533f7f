/**
 * @module services/projects/create-project.preflight
 * The read-only checks create_project makes before reserving the name, so a name held by someone
 * else's repository or DNS record is refused while nothing has changed yet. What they read (the
 * repository to adopt, the DNS change) is what the steps' plans describe in a dry run.
 */
import { isEmptyPlan, planDnsChanges } from '../../domain/dns-plan.js';
import type { GitRepo } from '../../ports/git-host.port.js';
import type { AppContext } from '../shared/app-context.js';
import { assertProjectClaims } from '../domains/host-claims.js';
import { findRepo } from '../repos/repo-ownership.js';
import type { CreateProjectInput } from './create-project.input.js';
import { desiredProjectRecord, projectFqdn } from './project-dns.js';
import { assertAdoptable } from './project-git-steps.js';
import { projectStarterFiles } from './starter-files.js';

export interface CreatePreflight extends Record<string, unknown> {
  /** The git host's organization the repository goes into. */
  gitOrg: string;
  /** Our repository of that name, to adopt; undefined when it is to be made. */
  repo: GitRepo | undefined;
  /** The DNS change for the project's name; null without a DNS backend. */
  dns: { action: 'create' | 'adopt' | 'update'; record: string } | null;
}

/** Throws CONFLICT (or NOT_CONFIGURED, or a backend's error) when creating would fail or touch something foreign. */
export async function preflightCreate(app: AppContext, input: CreateProjectInput): Promise<CreatePreflight> {
  // Renders the pipeline and Dockerfile: fails now (nothing reserved) when REGISTRY_URL or THREESIX_PUBLIC_URL is
  // missing.
  projectStarterFiles(app, input);
  // The shared claim check (services/domains/host-claims: reserved hosts, other projects, the
  // cluster), git and DNS are independent reads: asked together, they cost one round trip.
  const git = await app.backends.git.get();
  const [, repo, dns] = await Promise.all([
    assertProjectClaims(app, input.name, [projectFqdn(app.config, input.name)]),
    findRepo(git, input.name),
    plannedDns(app, input.name),
  ]);
  if (repo) await assertAdoptable(app, repo);
  return { gitOrg: git.org, repo, dns };
}

async function plannedDns(app: AppContext, name: string): Promise<CreatePreflight['dns']> {
  if (app.backends.dns.info.mode === 'none') return null;
  const provider = await app.backends.dns.get();
  const desired = desiredProjectRecord(app.config, projectFqdn(app.config, name), provider.provider);
  const current = await provider.listRecords({ name: desired.name });
  const changes = planDnsChanges({
    zone: provider.zone,
    owner: app.config.THREESIX_OWNER_ID,
    current,
    upsert: [desired],
  });
  const action = isEmptyPlan(changes) ? 'adopt' : changes.create.length > 0 ? 'create' : 'update';
  return { action, record: `${desired.name} ${desired.type} ${desired.content}${desired.proxied ? ' (proxied)' : ''}` };
}
