/**
 * @module services/projects/delete-project.steps
 * The delete saga's steps, in reverse order of creation. Each treats "already gone" (NOT_FOUND) as
 * done and never removes what threesix does not own: those are reported as warnings instead.
 */
import { isDomainError } from '../../domain/errors.js';
import { isInZone } from '../../domain/fqdn.js';
import type { StepContext, StepDefinition } from '../operations/operation-definition.js';
import { DEPLOY_KEY_PREFIX } from './create-project.input.js';
import { deactivateCi } from '../ci/ci-activation.service.js';
import { isOurs } from '../repos/repo-ownership.js';
import { removeProjectDns } from '../dns/remove-project-dns.service.js';
import { removeOwnedRecords } from './project-dns.js';
import { settleDeploys } from './settle-deploys.js';

export interface DeleteProjectInput extends Record<string, unknown> {
  name: string;
  /** Snapshot of the row when deletion started, so a resumed run needs nothing the rows step removed. */
  repoName: string | null;
  ciRepoId: number | null;
  domains: string[];
}

type Step = StepDefinition<DeleteProjectInput>;
type Ctx = StepContext<DeleteProjectInput>;

const goneIsDone = async <T>(work: Promise<T>): Promise<T | undefined> => {
  try {
    return await work;
  } catch (error) {
    if (isDomainError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
};
const unconfigured = (ctx: Ctx, backend: 'deployer' | 'dns' | 'ci' | 'git') =>
  ctx.app.backends[backend].info.mode === 'none' ? `the ${backend} backend is not configured` : null;

export const deploymentStep: Step = {
  name: 'deployment',
  skip: (ctx) => unconfigured(ctx, 'deployer'),
  plan: (ctx) => `workload objects of ${ctx.input.name}`,
  async run(ctx) {
    const settled = await settleDeploys(ctx.app, ctx.input.name);
    const deployer = await ctx.app.backends.deployer.get();
    // The project lock waits out a deploy, rollback or scale this process is running on it.
    const wait = ctx.app.config.THREESIX_DEPLOY_WAIT_S * 1000 + 10_000;
    const result = await ctx.app.locks.run(ctx.input.name, 'delete_project', wait, () =>
      goneIsDone(deployer.remove(ctx.input.name)),
    );
    return { removed: result?.removed ?? [], cancelledDeploys: settled.cancelled, warnings: settled.warnings };
  },
};

export const dnsStep: Step = {
  name: 'dns',
  skip: (ctx) => unconfigured(ctx, 'dns'),
  plan: (ctx) => ctx.input.domains.map((d) => `DNS records at ${d} owned by threesix`),
  async run(ctx) {
    const dns = await ctx.app.backends.dns.get();
    const removed: string[] = [];
    const warnings: string[] = [];
    const own = await removeProjectDns(ctx.app, ctx.input.name);
    if (own.removed > 0) removed.push(`DNS records at ${own.fqdn}`);
    if (own.keptForeign > 0)
      warnings.push(`${own.keptForeign} DNS record(s) at ${own.fqdn} are not owned by threesix and were left in place`);
    for (const fqdn of ctx.input.domains.filter((d) => d !== own.fqdn && isInZone(d, dns.zone))) {
      const result = await removeOwnedRecords(dns, ctx.app.config.THREESIX_OWNER_ID, fqdn);
      removed.push(...result.removed.map((r) => `DNS ${r.type} ${r.name}`));
      warnings.push(
        ...result.foreign.map((r) => `DNS ${r.type} ${r.name} is not owned by threesix and was left in place`),
      );
    }
    return { removed, warnings };
  },
};

export const ciStep: Step = {
  name: 'ci',
  skip: (ctx) => unconfigured(ctx, 'ci'),
  plan: () => 'CI activation',
  async run(ctx) {
    const { app, input } = ctx;
    const removed: string[] = [];
    if (await app.store.projects.get(input.name)) {
      if ((await deactivateCi(app, input.name)).removed) removed.push(`CI activation of ${input.name}`);
    }
    // An activation the row never learned of (a crash between activating and recording) is found by name.
    const ci = await app.backends.ci.get();
    const stale = input.repoName ? await ci.lookup(`${app.config.GITEA_DEFAULT_ORG}/${input.repoName}`) : undefined;
    if (stale && (await goneIsDone(ci.deactivate(stale.id).then(() => true))))
      removed.push(`CI activation ${stale.id}`);
    return { removed };
  },
};

export const gitAccessStep: Step = {
  name: 'git-access',
  after: ['ci'],
  skip: (ctx) => unconfigured(ctx, 'git') ?? (ctx.input.repoName ? null : 'the project has no repository'),
  plan: () => 'threesix webhooks and deploy keys',
  async run(ctx) {
    const git = await ctx.app.backends.git.get();
    const repo = ctx.input.repoName!;
    const removed: string[] = [];
    const publicUrl = ctx.app.config.THREESIX_PUBLIC_URL?.replace(/\/+$/, '');
    // Only hooks pointing at this server and keys carrying our title prefix are ours to remove.
    const hooks = (await goneIsDone(git.listWebhooks(repo))) ?? [];
    for (const hook of hooks.filter((h) => publicUrl && h.url.startsWith(`${publicUrl}/`))) {
      if ((await goneIsDone(git.deleteWebhook(repo, hook.id).then(() => true))) === true)
        removed.push(`webhook ${hook.id}`);
    }
    const keys = (await goneIsDone(git.listDeployKeys(repo))) ?? [];
    for (const key of keys.filter((k) => k.title.startsWith(DEPLOY_KEY_PREFIX))) {
      if ((await goneIsDone(git.deleteDeployKey(repo, key.id).then(() => true))) === true)
        removed.push(`deploy key ${key.title}`);
    }
    return { removed };
  },
};

export const repoStep: Step = {
  name: 'repo',
  after: ['deployment', 'dns', 'git-access'],
  skip: (ctx) => unconfigured(ctx, 'git') ?? (ctx.input.repoName ? null : 'the project has no repository'),
  plan: (ctx) => `repository ${ctx.input.repoName} (${ctx.app.config.THREESIX_DELETE_REPOS})`,
  async run(ctx) {
    const git = await ctx.app.backends.git.get();
    const repo = await goneIsDone(git.getRepo(ctx.input.repoName!));
    if (!repo) return { removed: [] };
    if (!(await isOurs(ctx.app, repo)))
      return { removed: [], warnings: [`repository ${repo.fullName} was not made by threesix and was left in place`] };
    if (ctx.app.config.THREESIX_DELETE_REPOS === 'archive') {
      // Kept, so it must stay recognisably ours once the row and the journal's claim are gone.
      if (!repo.managed) await git.markManaged(repo.name);
      if (!repo.archived) await git.archiveRepo(repo.name);
      return { removed: [], archived: [`repository ${repo.fullName}`] };
    }
    await goneIsDone(git.deleteRepo(repo.name));
    return { removed: [`repository ${repo.fullName}`] };
  },
};

export const rowsStep: Step = {
  name: 'rows',
  after: ['repo', 'database', 'volumes'],
  plan: (ctx) => `project row ${ctx.input.name}`,
  async run(ctx) {
    // Releases go with the project row (foreign key cascade); the audit trail stays. Settings go
    // too, first: a project made again under this name must not start with the old one's env.
    await ctx.app.store.settings.delete(ctx.input.name);
    await ctx.app.store.projects.delete(ctx.input.name);
    return { removed: [`project row ${ctx.input.name}`] };
  },
};
