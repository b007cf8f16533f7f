/**
 * @module services/projects/project-git-steps
 * The git host's part of creating a project: the repository (created, or adopted when it is ours:
 * our marker, our row, or this create's journaled intent), its collaborators and deploy key, and
 * the starter files. Each step is idempotent.
 * Ownership (marker topic or our row), collaborators and deploy keys go through the repository
 * services; only the create itself is here, because a project starts from an empty repository
 * (autoInit off) so that "main exists" marks the starter commit as made, surviving a crash.
 */
import { conflict, isDomainError } from '../../domain/errors.js';
import { validateGitUsername } from '../../domain/git-username.js';
import type { CollaboratorPermission, GitHost, GitRepo } from '../../ports/git-host.port.js';
import { addDeployKey } from '../repos/add-deploy-key.service.js';
import type { AppContext } from '../shared/app-context.js';
import { findRepo, isOurs, recordRepo, requireOwnedRepo } from '../repos/repo-ownership.js';
import type { PlanContext, StepContext, StepDefinition } from '../operations/operation-definition.js';
import { deployKeyTitle, type CreateProjectInput } from './create-project.input.js';
import type { CreatePreflight } from './create-project.preflight.js';
import { dropRepoIntent, recordRepoIntent } from './repo-create-intent.js';
import { projectStarterFiles } from './starter-files.js';

type Ctx = StepContext<CreateProjectInput>;
const git = (ctx: Ctx) => ctx.app.backends.git.get();
const preflight = (ctx: PlanContext<CreateProjectInput>) => ctx.preflight as CreatePreflight;

/**
 * Creates `org/name`, or adopts it when it is ours; CONFLICT when someone else's repository has
 * the name. It looks before creating, although preflight has just looked, so a resume finds what
 * an interrupted run made. The adapter's create is two calls (the repository, then its marker
 * topic), so the intent is journaled before them: a repository a crash left unmarked is then
 * recognised (repo-create-intent.ts), adopted and marked, instead of blocking the name for good.
 */
export async function ensureProjectRepo(
  app: AppContext,
  operationId: string,
  input: { name: string; description: string; private: boolean },
): Promise<GitRepo> {
  const gitHost = await app.backends.git.get();
  const found = await findRepo(gitHost, input.name);
  if (found) return adopt(app, gitHost, found);
  await recordRepoIntent(app, operationId, gitHost.org, input.name);
  try {
    return await gitHost.createRepo({ ...input, autoInit: false });
  } catch (error) {
    if (!(isDomainError(error) && error.code === 'CONFLICT')) throw error;
    // Gitea refused: someone (or a concurrent run) made it since we looked, so it is not what
    // our intent announced. Adopt it only if it is ours by the marker or the row.
    await dropRepoIntent(app, operationId);
    const existing = await findRepo(gitHost, input.name);
    if (!existing) throw error;
    return adopt(app, gitHost, existing);
  }
}

async function adopt(app: AppContext, gitHost: GitHost, repo: GitRepo): Promise<GitRepo> {
  await assertAdoptable(app, repo);
  if (repo.managed) return repo;
  // Ours without the marker (the create's second call never ran): mark it, so ownership no longer rests on the journal.
  await gitHost.markManaged(repo.name);
  return { ...repo, managed: true };
}

export async function assertAdoptable(app: AppContext, repo: GitRepo): Promise<void> {
  if (!(await isOurs(app, repo))) {
    throw conflict(
      `repository ${repo.fullName} exists and was not made by threesix`,
      'Choose another project name; threesix never takes over repositories it did not create',
    );
  }
  if (repo.archived) {
    throw conflict(
      `repository ${repo.fullName} exists but is archived`,
      'Unarchive or delete it in the git host, or choose another name',
    );
  }
}

export function parseCollaborators(
  entries: readonly string[],
): Array<{ user: string; permission: CollaboratorPermission }> {
  return entries.map((entry) => {
    const [user, permission = 'write'] = entry.split(':');
    return {
      user: user!,
      permission: (['read', 'write', 'admin'].includes(permission) ? permission : 'write') as CollaboratorPermission,
    };
  });
}

export const repoStep: StepDefinition<CreateProjectInput> = {
  name: 'repo',
  plan(ctx) {
    const { repo, gitOrg } = preflight(ctx);
    return repo
      ? `adopt the existing threesix repository ${repo.fullName}`
      : `create ${ctx.input.private ? 'private' : 'public'} repository ${gitOrg}/${ctx.input.name}`;
  },
  async run(ctx) {
    const repo = await ensureProjectRepo(ctx.app, ctx.operationId, {
      name: ctx.input.name,
      description: ctx.input.description,
      private: ctx.input.private,
    });
    await recordRepo(ctx.app, ctx.input.name, repo);
    return {
      repoId: repo.id,
      fullName: repo.fullName,
      cloneSsh: repo.cloneSsh,
      cloneHttp: repo.cloneHttp,
      webUrl: repo.webUrl,
    };
  },
};

export const collaboratorsStep: StepDefinition<CreateProjectInput> = {
  name: 'collaborators',
  after: ['repo'],
  skip: (ctx) => (ctx.app.config.THREESIX_COLLABORATORS.length === 0 ? 'THREESIX_COLLABORATORS is empty' : null),
  plan: (ctx) =>
    `add ${parseCollaborators(ctx.app.config.THREESIX_COLLABORATORS)
      .map((c) => `${c.user} (${c.permission})`)
      .join(', ')}`,
  async run(ctx) {
    const added = parseCollaborators(ctx.app.config.THREESIX_COLLABORATORS).map((a) => ({
      ...a,
      user: validateGitUsername(a.user),
    }));
    const gitHost = await git(ctx);
    // One ownership check covers every collaborator (the add_collaborator service would read the
    // repository once per user). Each add is an idempotent PUT, independent of the others, so
    // they go out together and a resumed run simply repeats them.
    await requireOwnedRepo(ctx.app, gitHost, ctx.input.name, 'add a collaborator to');
    await Promise.all(added.map(({ user, permission }) => gitHost.addCollaborator(ctx.input.name, user, permission)));
    return { collaborators: added.map((a) => `${a.user}:${a.permission}`) };
  },
};

export const deployKeyStep: StepDefinition<CreateProjectInput> = {
  name: 'deploy-key',
  after: ['repo'],
  skip: (ctx) => (ctx.app.config.THREESIX_DEPLOY_KEY ? null : 'THREESIX_DEPLOY_KEY is not set'),
  plan: () => 'add the configured read-only deploy key',
  async run(ctx) {
    // The same title and key again returns the existing key, so a resumed run adopts it.
    const { key } = await addDeployKey(ctx.app, {
      project: ctx.input.name,
      title: deployKeyTitle('deploy'),
      publicKey: ctx.app.config.THREESIX_DEPLOY_KEY!,
      readOnly: true,
    });
    return { keyId: key.id, title: key.title };
  },
};

export const starterFilesStep: StepDefinition<CreateProjectInput> = {
  name: 'starter-files',
  // Seeding pushes the first commit, which starts a pipeline: CI and its secrets must exist first.
  after: ['repo', 'ci'],
  plan: () => 'commit .woodpecker.yaml, Dockerfile and README.md to main, unless the repository already has commits',
  async run(ctx) {
    const gitHost = await git(ctx);
    const existing = await gitHost.getBranchHead(ctx.input.name, 'main').catch((error) => {
      if (isDomainError(error) && error.code === 'NOT_FOUND') return undefined;
      throw error;
    });
    if (existing) return { sha: existing.sha, seeded: false };
    const files = projectStarterFiles(ctx.app, ctx.input);
    // main is missing, so every file is new: no per-file reads. Should main appear in between,
    // the host refuses to create a file that exists and the re-run finds main and adopts it.
    const { sha } = await gitHost.commitFiles(ctx.input.name, {
      branch: 'main',
      message: 'Start project with threesix',
      files,
      allNew: true,
    });
    return { sha, seeded: true, files: files.map((f) => f.path) };
  },
};
