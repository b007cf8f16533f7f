/**
 * @module services/add-collaborator
 * Grants a Gitea user read, write or admin on a project's repository (adds, or changes the
 * permission of an existing collaborator). Only on repositories threesix owns.
 */
import { validateGitUsername, validatePermission } from '../../domain/git-username.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { AppContext } from '../shared/app-context.js';
import { requireOwnedRepo } from './repo-ownership.js';

export interface AddCollaboratorResult {
  fullName: string;
  username: string;
  permission: 'read' | 'write' | 'admin';
  dryRun: boolean;
}

export async function addCollaborator(
  app: AppContext,
  input: { project: string; username: string; permission: string; dryRun?: boolean },
): Promise<AddCollaboratorResult> {
  const name = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  const username = validateGitUsername(input.username);
  const permission = validatePermission(input.permission);
  const dryRun = input.dryRun === true;
  const git = await app.backends.git.get();
  const repo = await requireOwnedRepo(app, git, name, 'add a collaborator to');
  if (!dryRun) await git.addCollaborator(name, username, permission);
  return { fullName: repo.fullName, username, permission, dryRun };
}
