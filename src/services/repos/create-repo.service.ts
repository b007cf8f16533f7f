/**
 * @module services/create-repo
 * Creates the project's repository (name = project name) with a first commit on main, or returns
 * it when it is already ours. A foreign repository with that name is a CONFLICT, never adopted.
 */
import { hasControlCharacters } from '../../domain/control-characters.js';
import { conflict, invalidInput, isDomainError } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { GitRepo } from '../../ports/git-host.port.js';
import type { AppContext } from '../shared/app-context.js';
import { findRepo, isOurs, recordRepo, toRepoView, type RepoView } from './repo-ownership.js';

export interface CreateRepoInput {
  project: string;
  description?: string;
  private?: boolean;
  dryRun?: boolean;
}

export interface CreateRepoResult {
  /** null only for a dry run of a repository that does not exist yet. */
  repo: RepoView | null;
  fullName: string;
  created: boolean;
  dryRun: boolean;
}

const MAX_DESCRIPTION = 2048;

export async function createRepo(app: AppContext, input: CreateRepoInput): Promise<CreateRepoResult> {
  const name = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  const description = input.description ?? '';
  if (description.length > MAX_DESCRIPTION || hasControlCharacters(description, true)) {
    throw invalidInput(`description must be at most ${MAX_DESCRIPTION} characters without control characters`);
  }
  const dryRun = input.dryRun === true;
  const git = await app.backends.git.get();
  const fullName = `${git.org}/${name}`;
  const existing = await findRepo(git, name);
  if (existing) return adopt(app, existing, dryRun);
  if (dryRun) return { repo: null, fullName, created: false, dryRun };
  try {
    const repo = await git.createRepo({ name, description, private: input.private ?? false, autoInit: true });
    await recordRepo(app, name, repo);
    return { repo: toRepoView(repo), fullName, created: true, dryRun };
  } catch (error) {
    // Someone created it between our look and our create: decide by ownership like above.
    const raced = isDomainError(error) && error.code === 'CONFLICT' ? await findRepo(git, name) : undefined;
    if (raced) return adopt(app, raced, dryRun);
    throw error;
  }
}

async function adopt(app: AppContext, repo: GitRepo, dryRun: boolean): Promise<CreateRepoResult> {
  if (!(await isOurs(app, repo))) {
    throw conflict(
      `repository ${repo.fullName} already exists and was not created by threesix`,
      'Choose another project name; threesix never takes over a repository it did not create',
      { repo: repo.fullName },
    );
  }
  if (!dryRun) await recordRepo(app, repo.name, repo);
  return { repo: toRepoView(repo), fullName: repo.fullName, created: false, dryRun };
}
