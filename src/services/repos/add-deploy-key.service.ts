/**
 * @module services/add-deploy-key
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * Adds an SSH deploy key (read-only unless asked otherwise) to a project's repository. The key is
 * parsed strictly first; the same title and key again returns the existing key.
 */
import { invalidInput } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import { parseSshPublicKey } from '../../domain/ssh-public-key.js';
import type { AppContext } from '../shared/app-context.js';
import { requireOwnedRepo } from './repo-ownership.js';

export interface AddDeployKeyResult {
  fullName: string;
  key: { id: number | null; title: string; readOnly: boolean; type: string };
  dryRun: boolean;
}

const TITLE = /^[\x20-\x7e]{1,50}$/;

export async function addDeployKey(
  app: AppContext,
  input: { project: string; title: string; publicKey: string; readOnly?: boolean; dryRun?: boolean },
): Promise<AddDeployKeyResult> {
  const name = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  const title = typeof input.title === 'string' ? input.title.trim() : '';
  if (!TITLE.test(title))
    throw invalidInput(
      'title must be 1-50 printable ASCII characters',
      'Use a short label such as "ci" or "deploy-bot"',
    );
  const key = parseSshPublicKey(input.publicKey);
  const readOnly = input.readOnly ?? true;
  const dryRun = input.dryRun === true;
  const git = await app.backends.git.get();
  const repo = await requireOwnedRepo(app, git, name, 'add a deploy key to');
  if (dryRun) return { fullName: repo.fullName, key: { id: null, title, readOnly, type: key.type }, dryRun };
  const added = await git.addDeployKey(name, { title, key: key.material, readOnly });
  return {
    fullName: repo.fullName,
    key: { id: added.id, title: added.title, readOnly: added.readOnly, type: key.type },
    dryRun,
  };
}
