/**
 * @module services/projects/project-git-steps
 * The git host's part of creating a project: the repository (created, or adopted when it carries
 * our marker), its collaborators and deploy key, and the starter files. Each step is idempotent.
 * Ownership (marker topic or our row), collaborators and deploy keys go through the repository
 * services; only the create itself is here, because a project starts from an empty repository
 * (autoInit off) so that "main exists" marks the starter commit as made, surviving a crash.
 */
import { conflict, isDomainError } from '../../domain/errors.js';
import type { CollaboratorPermission, GitRepo } from '../../ports/git-host.port.js';
import { addCollaborator } from '../add-collaborator.service.js';
import { addDeployKey } from '../add-deploy-key.service.js';
import type { AppContext } from '../app-context.js';
import { findRepo, isOurs, recordRepo } from '../repo-ownership.js';
import type { StepContext, StepDefinition } from '../operations/operation-definition.js';
import { deployKeyTitle, type CreateProjectInput } from './create-project.input.js';
import { projectStarterFiles } from './starter-files.js';

type Ctx = StepContext<CreateProjectInput>;
const git = (ctx: Ctx) => ctx.app.backends.git.get();

/** Creates `org/name`, or adopts it when it is ours; CONFLICT when someone else's repository has the name. */
export async function ensureProjectRepo(app: AppContext, input: { name: string; description: string; private: boolean }): Promise<GitRepo> {
  const gitHost = await app.backends.git.get();
  const existing = await findRepo(gitHost, input.name);
  if (existing) {
    await assertAdoptable(app, existing);
    return existing;
  }
  try {
    return await gitHost.createRepo({ ...input, autoInit: false });
  } catch (error) {
    // Created between our look and our create (a concurrent run, or a lost answer): decide by ownership.
    const raced = isDomainError(error) && error.code === 'CONFLICT' ? await findRepo(gitHost, input.name) : undefined;
    if (!raced) throw error;
    await assertAdoptable(app, raced);
    return raced;
  }
}

export async function assertAdoptable(app: AppContext, repo: GitRepo): Promise<void> {
  if (!(await isOurs(app, repo))) {
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
    const repo = await ensureProjectRepo(ctx.app, { name: ctx.input.name, description: ctx.input.description, private: ctx.input.private });
    await recordRepo(ctx.app, ctx.input.name, repo);
    return { repoId: repo.id, fullName: repo.fullName, cloneSsh: repo.cloneSsh, cloneHttp: repo.cloneHttp, webUrl: repo.webUrl };
  },
};

export const collaboratorsStep: StepDefinition<CreateProjectInput> = {
  name: 'collaborators',
  after: ['repo'],
  skip: ctx => (ctx.app.config.THREESIX_COLLABORATORS.length === 0 ? 'THREESIX_COLLABORATORS is empty' : null),
  async run(ctx) {
    const added = parseCollaborators(ctx.app.config.THREESIX_COLLABORATORS);
    // Adding a collaborator is an idempotent PUT, so a resumed run simply repeats it.
    for (const { user, permission } of added) await addCollaborator(ctx.app, { project: ctx.input.name, username: user, permission });
    return { collaborators: added.map(a => `${a.user}:${a.permission}`) };
  },
};

export const deployKeyStep: StepDefinition<CreateProjectInput> = {
  name: 'deploy-key',
  after: ['repo'],
  skip: ctx => (ctx.app.config.THREESIX_DEPLOY_KEY ? null : 'THREESIX_DEPLOY_KEY is not set'),
  async run(ctx) {
    // The same title and key again returns the existing key, so a resumed run adopts it.
    const { key } = await addDeployKey(ctx.app, { project: ctx.input.name, title: deployKeyTitle('deploy'), publicKey: ctx.app.config.THREESIX_DEPLOY_KEY!, readOnly: true });
    return { keyId: key.id, title: key.title };
  },
};

export const starterFilesStep: StepDefinition<CreateProjectInput> = {
  name: 'starter-files',
  // Seeding pushes the first commit, which starts a pipeline: CI and its secrets must exist first.
  after: ['repo', 'ci'],
  async run(ctx) {
    const gitHost = await git(ctx);
    const existing = await gitHost.getBranchHead(ctx.input.name, 'main').catch(error => {
      if (isDomainError(error) && error.code === 'NOT_FOUND') return undefined;
      throw error;
    });
    if (existing) return { sha: existing.sha, seeded: false };
    const files = projectStarterFiles(ctx.app, ctx.input);
    const { sha } = await gitHost.commitFiles(ctx.input.name, { branch: 'main', message: 'Start project with threesix', files });
    return { sha, seeded: true, files: files.map(f => f.path) };
  },
};
