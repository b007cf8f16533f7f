/**
 * @module services/projects/plan-create-project
 * The read-only half of create_project: what would happen (dryRun), and the checks that must pass
 * before the name is reserved, so a name held by someone else's repository or DNS record is refused
 * while nothing has changed yet.
 */
import { conflict } from '../../domain/errors.js';
import { isEmptyPlan, planDnsChanges } from '../../domain/dns-plan.js';
import type { GitRepo } from '../../ports/git-host.port.js';
import type { AppContext } from '../app-context.js';
import { assertProjectClaims } from '../domains/host-claims.js';
import { findRepo } from '../repo-ownership.js';
import type { CreateProjectInput } from './create-project.input.js';
import { desiredProjectRecord, projectFqdn } from './project-dns.js';
import { assertAdoptable, parseCollaborators } from './project-git-steps.js';
import { projectStarterFiles } from './starter-files.js';

export interface PlannedStep {
  step: string;
  action: string;
}

interface Preflight {
  repo: GitRepo | undefined;
  dns: { action: 'create' | 'adopt' | 'update'; record: string } | null;
}

/** Throws CONFLICT (or NOT_CONFIGURED, or a backend's error) when creating would fail or touch something foreign. */
export async function preflightCreate(app: AppContext, input: CreateProjectInput): Promise<Preflight> {
  // Renders the pipeline and Dockerfile: fails now (nothing reserved) when REGISTRY_URL or THREESIX_PUBLIC_URL is missing.
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
  return { repo, dns };
}

async function plannedDns(app: AppContext, name: string): Promise<Preflight['dns']> {
  if (app.backends.dns.info.mode === 'none') return null;
  const provider = await app.backends.dns.get();
  const desired = desiredProjectRecord(app.config, projectFqdn(app.config, name), provider.provider);
  const current = await provider.listRecords({ name: desired.name });
  const changes = planDnsChanges({ zone: provider.zone, owner: app.config.THREESIX_OWNER_ID, current, upsert: [desired] });
  const action = isEmptyPlan(changes) ? 'adopt' : changes.create.length > 0 ? 'create' : 'update';
  return { action, record: `${desired.name} ${desired.type} ${desired.content}${desired.proxied ? ' (proxied)' : ''}` };
}

export async function planCreateProject(app: AppContext, input: CreateProjectInput): Promise<{ project: string; url: string; plan: PlannedStep[] }> {
  const existing = await app.store.projects.get(input.name);
  if (existing && existing.state !== 'failed' && existing.state !== 'provisioning') {
    throw conflict(`project "${input.name}" already exists (${existing.state})`, 'Use get_project to see it, or choose another name');
  }
  const { repo, dns } = await preflightCreate(app, input);
  const git = await app.backends.git.get();
  const { config } = app;
  const collaborators = parseCollaborators(config.THREESIX_COLLABORATORS);
  const ciOn = app.backends.ci.info.mode !== 'none';
  const plan: PlannedStep[] = [
    { step: 'reserve', action: existing ? `resume the unfinished creation of "${input.name}"` : `reserve the name "${input.name}" in the database` },
    { step: 'dns', action: dns ? `${dns.action} DNS record ${dns.record}` : 'skip: the DNS backend is not configured' },
    { step: 'repo', action: repo ? `adopt the existing threesix repository ${repo.fullName}` : `create ${input.private ? 'private' : 'public'} repository ${git.org}/${input.name}` },
    { step: 'collaborators', action: collaborators.length ? `add ${collaborators.map(c => `${c.user} (${c.permission})`).join(', ')}` : 'skip: THREESIX_COLLABORATORS is empty' },
    { step: 'deploy-key', action: config.THREESIX_DEPLOY_KEY ? 'add the configured read-only deploy key' : 'skip: THREESIX_DEPLOY_KEY is not set' },
    { step: 'ci', action: ciOn ? 'activate the repository in CI and write a fresh per-project deploy token (and registry credentials) as CI secrets' : 'skip: the CI backend is not configured' },
    { step: 'starter-files', action: 'commit .woodpecker.yaml, Dockerfile and README.md to main, unless the repository already has commits' },
  ];
  return { project: input.name, url: `https://${projectFqdn(config, input.name)}`, plan };
}
