/**
 * @module sandbox/gitea/gitea-push
 * After refs change, builds Gitea's PushPayload for each ref, delivers it to the repository's
 * hooks that want `push`, and then tells programmatic listeners (tests, the CI stand-in).
 */
import type { Logger } from '../../ports/logger.port.js';
import { commitFacts, newCommits } from './git-log.js';
import type { GiteaContext } from './gitea-app.js';
import { renderPayloadCommit, renderRepo, renderUser, type Site } from './gitea-render.js';
import { now, type GiteaState, type RepoRecord, type UserRecord } from './gitea-state.js';
import { deliver, hookWants, type Delivery } from './gitea-webhooks.js';

export interface PushEvent {
  owner: string;
  repo: string;
  ref: string;
  before: string;
  after: string;
  /** The exact payload object delivered to hooks. */
  payload: Record<string, unknown>;
  deliveries: Delivery[];
}

export type PushListener = (event: PushEvent) => void;

const ZERO = /^0{40}$/;

export function createPushNotifier(state: GiteaState, site: Site, admin: UserRecord, logger?: Logger) {
  const listeners = new Set<PushListener>();
  const pending = new Set<Promise<void>>();
  const notify = async (repo: RepoRecord, change: { ref: string; before: string; after: string }) => {
    const payload = await buildPayload(state, site, admin, repo, change);
    const branch = change.ref.startsWith('refs/heads/') ? change.ref.slice('refs/heads/'.length) : undefined;
    const hooks = repo.hooks.filter((h) => hookWants(h, 'push', branch));
    const deliveries = await Promise.all(hooks.map((h) => deliver(h, 'push', payload, logger)));
    for (const listener of listeners) listener({ owner: repo.owner, repo: repo.name, ...change, payload, deliveries });
  };
  const pushed: GiteaContext['pushed'] = (repo, changes) => {
    // Every push moves the repository's updated_unix ("Change repository last updated time",
    // go-gitea/gitea services/repository/push.go → models/repo/update.go UpdateRepositoryUpdatedTime).
    if (changes.length > 0) repo.updated = now();
    for (const change of changes) {
      if (ZERO.test(change.after)) continue; // branch deletions fire `delete`, which the stand-in does not model
      // As Gitea queues its deliveries: the work starts once the push or API call has answered.
      const job = new Promise((resolve) => setImmediate(resolve))
        .then(() => notify(repo, change))
        .catch((error) => logger?.warn('gitea stand-in: push notification failed', { err: String(error) }));
      pending.add(job);
      void job.finally(() => pending.delete(job));
    }
  };
  return {
    pushed,
    onPush: (listener: PushListener): (() => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    /** Waits for deliveries in flight, so stop() does not cut them off. */
    settle: () => Promise.all([...pending]).then(() => undefined),
  };
}

async function buildPayload(
  state: GiteaState,
  site: Site,
  admin: UserRecord,
  repo: RepoRecord,
  change: { ref: string; before: string; after: string },
) {
  const dir = state.gitDir(repo);
  const isNew = ZERO.test(change.before);
  const found = await newCommits(dir, change.after, isNew ? [] : [change.before]);
  const total = found.total;
  const commits = found.commits.map((facts) => renderPayloadCommit(site, repo, facts, admin.login));
  const head = commits[0] ?? renderPayloadCommit(site, repo, await commitFacts(dir, change.after), admin.login);
  const owner = state.org(repo.owner) ?? state.user(repo.owner) ?? admin;
  const user = renderUser(site, admin);
  return {
    ref: change.ref,
    before: change.before,
    after: change.after,
    compare_url: isNew ? '' : `${site.root}/${repo.owner}/${repo.name}/compare/${change.before}...${change.after}`,
    commits: commits.map((c) => ({ ...c, verification: null })),
    total_commits: total,
    head_commit: { ...head, verification: null },
    repository: renderRepo(site, repo, owner, false),
    pusher: user,
    sender: user,
  };
}
