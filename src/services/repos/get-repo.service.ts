/**
 * @module services/get-repo
 * A project's repository as Gitea has it now: clone URLs, web URL, default branch, and whether
 * threesix owns it.
 */
import { DomainError } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { AppContext } from '../shared/app-context.js';
import { findRepo, isOurs, toRepoView, type RepoView } from './repo-ownership.js';

export async function getRepo(app: AppContext, project: string): Promise<{ repo: RepoView; ours: boolean }> {
  const name = validateProjectName(project, app.config.THREESIX_RESERVED_NAMES);
  const git = await app.backends.git.get();
  const repo = await findRepo(git, name);
  if (!repo)
    throw new DomainError('NOT_FOUND', `repository ${git.org}/${name} does not exist`, {
      hint: 'Create it with create_repo',
    });
  return { repo: toRepoView(repo), ours: await isOurs(app, repo) };
}
