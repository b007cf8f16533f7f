/**
 * @module services/projects/project-git-steps
 * The git host's part of creating a project: the repository (created, or adopted when it carries
 * our marker), its collaborators and deploy key, and the starter files. Each step is idempotent.
 * (Written against the port until the git issue's create_repo service lands; the lead reconciles.)
 */
import { conflict, isDomainError } from '../../domain/errors.js';
import type { CollaboratorPermission, GitHost, GitRepo } from '../../ports/git-host.port.js';
import type { StepContext, StepDefinition } from '../operations/operation-definition.js';
import { deployKeyTitle, DEPLOY_TOKEN_SECRET, type CreateProjectInput } from './create-project.input.js';
import { projectFqdn } from './project-dns.js';
import { starterFiles } from './starter-files.js';

type Ctx = StepContext<CreateProjectInput>;
const git = (ctx: Ctx) => ctx.app.backends.git.get();

/** Creates `org/name`, or adopts it when it is ours; CONFLICT when someone else's repository has the name. */
export async function ensureProjectRepo(gitHost: GitHost, input: { name: string; description: string; private: boolean }): Promise<GitRepo> {
  try {
    return await gitHost.createRepo({ ...input, autoInit: false });
  } catch (error) {
    if (!isDomainError(error) || error.code !== 'CONFLICT') throw error;
    const existing = await gitHost.getRepo(input.name);
    assertAdoptable(existing);
    return existing;
  }
}

export function assertAdoptable(repo: GitRepo): void {
  if (!repo.managed) {
    throw conflict(`repository ${repo.fullName} exists and was not made by threesix`, 'Choose another project name; threesix never takes over repositories it did not create');
  }
  if (repo.archived) {
    throw conflict(`repository ${repo.fullName} exists but is archived`, 'Unarchive or delete it in the git host, or choose another name');
  }
}

export function parseCollaborators(entries: readonly string[]): Array<{ user: string; permission: CollaboratorPermission }> {
  return entries.map(entry => {
    const [user, permission = 'write'] = entry.split(':');
    return { user: user!, permission: (['read', 'write', 'admin'].includes(permission) ? permission : 'write') as CollaboratorPermission };
  });
}

export const repoStep: StepDefinition<CreateProjectInput> = {
  name: 'repo',
  async run(ctx) {
    const repo = await ensureProjectRepo(await git(ctx), { name: ctx.input.name, description: ctx.input.description, private: ctx.input.private });
    await ctx.app.store.projects.update(ctx.input.name, {
      gitRepoName: repo.name, gitRepoId: repo.id, gitCloneSsh: repo.cloneSsh, gitCloneHttp: repo.cloneHttp, gitWebUrl: repo.webUrl,
    });
    return { repoId: repo.id, fullName: repo.fullName, cloneSsh: repo.cloneSsh, cloneHttp: repo.cloneHttp, webUrl: repo.webUrl };
  },
};

export const collaboratorsStep: StepDefinition<CreateProjectInput> = {
  name: 'collaborators',
  after: ['repo'],
  skip: ctx => (ctx.app.config.THREESIX_COLLABORATORS.length === 0 ? 'THREESIX_COLLABORATORS is empty' : null),
  async run(ctx) {
    const gitHost = await git(ctx);
    const added = parseCollaborators(ctx.app.config.THREESIX_COLLABORATORS);
    // Adding a collaborator is an idempotent PUT, so a resumed run simply repeats it.
    for (const { user, permission } of added) await gitHost.addCollaborator(ctx.input.name, user, permission);
    return { collaborators: added.map(a => `${a.user}:${a.permission}`) };
  },
};

export const deployKeyStep: StepDefinition<CreateProjectInput> = {
  name: 'deploy-key',
  after: ['repo'],
  skip: ctx => (ctx.app.config.THREESIX_DEPLOY_KEY ? null : 'THREESIX_DEPLOY_KEY is not set'),
  async run(ctx) {
    const key = await (await git(ctx)).addDeployKey(ctx.input.name, {
      title: deployKeyTitle(ctx.input.name, 'deploy'),
      key: ctx.app.config.THREESIX_DEPLOY_KEY!,
      readOnly: true,
    });
    return { keyId: key.id, title: key.title };
  },
};

export const starterFilesStep: StepDefinition<CreateProjectInput> = {
  name: 'starter-files',
  // Seeding pushes the first commit, which starts a pipeline: CI and its secret must exist first.
  after: ['repo', 'ci-secret'],
  async run(ctx) {
    const gitHost = await git(ctx);
    const existing = await gitHost.getBranchHead(ctx.input.name, 'main').catch(error => {
      if (isDomainError(error) && error.code === 'NOT_FOUND') return undefined;
      throw error;
    });
    if (existing) return { sha: existing.sha, seeded: false };
    const { config } = ctx.app;
    const files = starterFiles({
      name: ctx.input.name,
      description: ctx.input.description,
      registryHost: config.REGISTRY_URL ?? 'registry.invalid',
      deployHookUrl: config.THREESIX_PUBLIC_URL ? `${config.THREESIX_PUBLIC_URL.replace(/\/+$/, '')}/hooks/ci` : null,
      liveUrl: `https://${projectFqdn(config, ctx.input.name)}`,
      secretName: DEPLOY_TOKEN_SECRET,
    });
    const { sha } = await gitHost.commitFiles(ctx.input.name, { branch: 'main', message: 'Start project with threesix', files });
    return { sha, seeded: true, files: files.map(f => f.path) };
  },
};
