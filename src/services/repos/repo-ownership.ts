/**
 * @module services/repos/repo-ownership
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * threesix touches only repositories it made: those carrying the marker topic or recorded in its
 * database, and the one an unfinished create journaled its intent to make (a crash can come
 * between Gitea's create and the marker topic). Shared by every repository use case so the rule
 * lives in one place.
 */
import { DomainError, isDomainError } from '../../domain/errors.js';
import type { GitHost, GitRepo } from '../../ports/git-host.port.js';
import type { AppContext } from '../shared/app-context.js';
import { matchesOpenIntent } from '../projects/repo-create-intent.js';

/**
 * What tools show of a repository: the port's view less the owner (always the org) and the creation time (only
 * ownership checks need it).
 */
export type RepoView = Omit<GitRepo, 'owner'>;

export function toRepoView(repo: GitRepo): RepoView {
  const { owner: _owner, ...view } = repo;
  return view;
}

/** The repository, or undefined when Gitea has none by that name. */
export async function findRepo(git: GitHost, name: string): Promise<GitRepo | undefined> {
  try {
    return await git.getRepo(name);
  } catch (error) {
    if (isDomainError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/**
 * Ours when it carries the marker, a project row records this very repository, or its project's unfinished create
 * journaled making it.
 */
export async function isOurs(app: AppContext, repo: GitRepo): Promise<boolean> {
  if (repo.managed) return true;
  const project = await app.store.projects.get(repo.name);
  if (project && (project.gitRepoId === repo.id || (project.gitRepoId === null && project.gitRepoName === repo.name)))
    return true;
  return matchesOpenIntent(app, repo);
}

export function notOurs(repo: GitRepo, action: string): DomainError {
  return new DomainError(
    'PRECONDITION_FAILED',
    `refusing to ${action} ${repo.fullName}: it has no threesix-managed topic and no threesix project records it, so threesix did not create it`,
    {
      hint: 'threesix only changes repositories it created; change this one in Gitea directly, or pick another project name',
    },
  );
}

/** The repository of `project`, refusing one that is missing or not ours. */
export async function requireOwnedRepo(
  app: AppContext,
  git: GitHost,
  project: string,
  action: string,
): Promise<GitRepo> {
  const repo = await findRepo(git, project);
  if (!repo)
    throw new DomainError('NOT_FOUND', `repository ${git.org}/${project} does not exist`, {
      hint: 'Create it with create_repo',
    });
  if (!(await isOurs(app, repo))) throw notOurs(repo, action);
  return repo;
}

/** Keeps a project's row in step with its repository, when there is a row. */
export async function recordRepo(app: AppContext, project: string, repo: GitRepo | null): Promise<void> {
  if (!(await app.store.projects.get(project))) return;
  await app.store.projects.update(project, {
    gitRepoName: repo?.name ?? null,
    gitRepoId: repo?.id ?? null,
    gitCloneSsh: repo?.cloneSsh ?? null,
    gitCloneHttp: repo?.cloneHttp ?? null,
    gitWebUrl: repo?.webUrl ?? null,
  });
  app.events.projectChanged(project);
}
