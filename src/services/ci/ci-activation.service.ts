/**
 * @module services/ci-activation
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * Turning CI on and off for a project: activate its repository in Woodpecker by the git host's
 * id, write the deploy token (and registry credentials, when the registry needs them) into the
 * repository's secrets, and remember the CI id and the token's hash. Every step is idempotent, so
 * create_project can simply call it again when resuming; calling it again also rotates the token.
 */
import { DEPLOY_TOKEN_SECRET, REGISTRY_PASSWORD_SECRET, REGISTRY_USERNAME_SECRET } from '../../domain/ci-deploy.js';
import { isDomainError, preconditionFailed } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { AppContext } from '../shared/app-context.js';
import { newDeployToken } from './deploy-token.service.js';

export interface CiActivation {
  project: string;
  ciRepoId: number;
  ciWebUrl: string;
  /** Names of the secrets written (never their values). */
  secrets: string[];
}

export async function activateCi(app: AppContext, name: string): Promise<CiActivation> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  const project = await app.store.projects.require(name);
  if (!project.gitRepoId)
    throw preconditionFailed(
      `project ${name} has no git repository yet`,
      'Create the repository first (create_project does this)',
    );
  const ci = await app.backends.ci.get();
  const repo = await ci.activate(project.gitRepoId, `${app.config.GITEA_DEFAULT_ORG}/${project.gitRepoName ?? name}`);
  // Separate secrets, each an idempotent upsert: written together, they cost one round trip.
  const [secrets] = await Promise.all([writeRegistrySecrets(app, repo.id), writeDeployToken(app, name, repo.id)]);
  await app.store.projects.update(name, { ciRepoId: repo.id });
  await app.store.audit.record({
    actor: 'threesix',
    action: 'ci.activate',
    target: name,
    result: 'ok',
    detail: { ciRepoId: repo.id },
  });
  app.events.projectChanged(name);
  return { project: name, ciRepoId: repo.id, ciWebUrl: repo.webUrl, secrets: [DEPLOY_TOKEN_SECRET, ...secrets] };
}

/** Issues a new deploy token; the old one stops working as soon as the new hash is stored. */
export async function rotateDeployToken(app: AppContext, name: string): Promise<{ project: string; rotated: true }> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  const project = await app.store.projects.require(name);
  if (!project.ciRepoId) throw preconditionFailed(`CI is not active for project ${name}`, 'Activate CI first');
  await writeDeployToken(app, name, project.ciRepoId);
  await app.store.audit.record({
    actor: 'threesix',
    action: 'ci.rotate_token',
    target: name,
    result: 'ok',
    detail: null,
  });
  return { project: name, rotated: true };
}

/** Removes the repository from CI (a repository CI no longer knows counts as done) and forgets the token. */
export async function deactivateCi(app: AppContext, name: string): Promise<{ project: string; removed: boolean }> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  const project = await app.store.projects.require(name);
  let removed = false;
  if (project.ciRepoId) {
    const ci = await app.backends.ci.get();
    try {
      await ci.deactivate(project.ciRepoId);
      removed = true;
    } catch (error) {
      if (!isDomainError(error) || error.code !== 'NOT_FOUND') throw error;
    }
  }
  await app.store.projects.update(name, { ciRepoId: null, deployTokenHash: null });
  await app.store.audit.record({
    actor: 'threesix',
    action: 'ci.deactivate',
    target: name,
    result: 'ok',
    detail: { removed },
  });
  return { project: name, removed };
}

async function writeDeployToken(app: AppContext, name: string, ciRepoId: number): Promise<void> {
  const ci = await app.backends.ci.get();
  const { token, hash } = newDeployToken();
  // CI gets the token before the hash is stored: a crash in between leaves the old token valid
  // and CI holding a new one, which the next activation or rotation repairs.
  await ci.upsertSecret(ciRepoId, { name: DEPLOY_TOKEN_SECRET, value: token, events: ['push'] });
  await app.store.projects.update(name, { deployTokenHash: hash });
}

async function writeRegistrySecrets(app: AppContext, ciRepoId: number): Promise<string[]> {
  const { REGISTRY_USERNAME: user, REGISTRY_PASSWORD: password } = app.config;
  if (!user || !password) return [];
  const ci = await app.backends.ci.get();
  await Promise.all([
    ci.upsertSecret(ciRepoId, { name: REGISTRY_USERNAME_SECRET, value: user, events: ['push'] }),
    ci.upsertSecret(ciRepoId, { name: REGISTRY_PASSWORD_SECRET, value: password, events: ['push'] }),
  ]);
  return [REGISTRY_USERNAME_SECRET, REGISTRY_PASSWORD_SECRET];
}
