/**
 * @module services/projects/repo-create-intent
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * The create saga's record of the repository it is about to make. Gitea makes a repository and
 * its marker topic in two calls; a process killed between them leaves a repository nobody could
 * prove is ours, and the name lost for good. So the repo step journals its intent (which
 * repository, in which organization, when) before the create call, and until that step is done
 * the intent vouches for exactly one repository: the one Gitea created after it, still empty,
 * owned by the configured organization. Anything else by that name stays foreign.
 */
import type { Operation } from '../../domain/project.js';
import type { GitRepo } from '../../ports/git-host.port.js';
import type { AppContext } from '../shared/app-context.js';
import { CREATE_PROJECT } from './create-project.input.js';

export interface RepoIntent {
  /** The organization the repository is created in (GITEA_DEFAULT_ORG then). */
  owner: string;
  repo: string;
  /** When the intent was journaled, before the create call went out (ISO 8601, milliseconds). */
  at: string;
}

export interface OpenRepoIntent {
  operationId: string;
  intent: RepoIntent;
}

const REPO_STEP = 'repo';

/** Journals, before the create call, that this operation is about to create `owner/repo`. */
export async function recordRepoIntent(
  app: AppContext,
  operationId: string,
  owner: string,
  repo: string,
): Promise<void> {
  const intent: RepoIntent = { owner, repo, at: new Date().toISOString() };
  await app.store.operations.recordIntent(operationId, REPO_STEP, { ...intent });
}

/** Gitea refused the create (the name was taken): whatever holds the name now is not what the intent announced. */
export async function dropRepoIntent(app: AppContext, operationId: string): Promise<void> {
  await app.store.operations.recordIntent(operationId, REPO_STEP, null);
}

/**
 * The intent of the create still under way for project `name`, if its repo step never finished:
 * the project row exists mid-create (or mid-delete after a failed create) and records no
 * repository, and its newest unfinished create operation journaled an intent.
 */
export async function openRepoIntent(app: AppContext, name: string): Promise<OpenRepoIntent | undefined> {
  const project = await app.store.projects.get(name);
  if (!project || project.gitRepoId !== null || !['provisioning', 'failed', 'deleting'].includes(project.state))
    return undefined;
  const operation = await app.store.operations.findUnfinished(CREATE_PROJECT, name);
  return operation ? intentOf(app, operation) : undefined;
}

async function intentOf(app: AppContext, operation: Operation): Promise<OpenRepoIntent | undefined> {
  const step = operation.steps.find((s) => s.name === REPO_STEP);
  if (!step || step.status === 'done') return undefined;
  const intent = parseIntent(await app.store.operations.intentOf(operation.id, REPO_STEP));
  return intent ? { operationId: operation.id, intent } : undefined;
}

function parseIntent(value: Record<string, unknown> | null): RepoIntent | undefined {
  if (!value || typeof value.owner !== 'string' || typeof value.repo !== 'string' || typeof value.at !== 'string')
    return undefined;
  return { owner: value.owner, repo: value.repo, at: value.at };
}

/**
 * Why `repo` is not the repository `intent` announced, or null when it is. Gitea's `created_at`
 * has whole seconds (modules/structs/repo.go, Created, from a Unix timestamp), so the intent's
 * time is truncated to its second: a repository created in the same second still matches, one
 * created in an earlier second does not. A Gitea clock running behind ours can only make a
 * genuine repository fail to match (refused, as before), never make a foreign one match.
 */
export function mismatchWithIntent(repo: GitRepo, intent: RepoIntent): string | null {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (!same(repo.owner, intent.owner)) return `it is owned by ${repo.owner}, not ${intent.owner}`;
  if (!same(repo.name, intent.repo)) return `it is not ${intent.owner}/${intent.repo}`;
  if (!repo.empty) return 'it already has commits';
  const created = Date.parse(repo.createdAt);
  const intended = Math.floor(Date.parse(intent.at) / 1000) * 1000;
  if (!Number.isFinite(created) || !Number.isFinite(intended)) return 'its creation time is unknown';
  if (created < intended)
    return `it was created at ${repo.createdAt}, before threesix set out to create it (${intent.at})`;
  return null;
}

/** True when `repo` is the one the unfinished create of its project set out to make. */
export async function matchesOpenIntent(app: AppContext, repo: GitRepo): Promise<boolean> {
  const open = await openRepoIntent(app, repo.name);
  return Boolean(open && mismatchWithIntent(repo, open.intent) === null);
}
