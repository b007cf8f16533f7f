/**
 * @module services/delete-repo
 * Deletes a project's repository, only when threesix made it. `confirm` must repeat the project
 * name; it is checked before anything leaves the process. Deleting what is gone is a no-op.
 */
import { requireConfirm } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { AppContext } from '../shared/app-context.js';
import { findRepo, isOurs, notOurs, recordRepo } from './repo-ownership.js';

export interface DeleteRepoResult {
  fullName: string;
  deleted: boolean;
  existed: boolean;
  dryRun: boolean;
}

export async function deleteRepo(
  app: AppContext,
  input: { project: string; confirm: string; dryRun?: boolean },
): Promise<DeleteRepoResult> {
  const name = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  requireConfirm(name, input.confirm);
  const dryRun = input.dryRun === true;
  const git = await app.backends.git.get();
  const fullName = `${git.org}/${name}`;
  const repo = await findRepo(git, name);
  if (!repo) return { fullName, deleted: false, existed: false, dryRun };
  if (!(await isOurs(app, repo))) throw notOurs(repo, 'delete');
  if (dryRun) return { fullName, deleted: false, existed: true, dryRun };
  await git.deleteRepo(name);
  await recordRepo(app, name, null);
  return { fullName, deleted: true, existed: true, dryRun };
}
