/**
 * @module adapters/gitea/gitea-mapping
 * Gitea JSON to port types. The marker topic is what makes a repository "managed".
 */
import type { Hook, Repository } from 'gitea-js';
import type { GitRepo, GitWebhook } from '../../ports/git-host.port.js';

export const MARKER_TOPIC = 'threesix-managed';

export function toGitRepo(repo: Repository, options: { sshHost?: string; topics?: string[] }): GitRepo {
  const fullName = repo.full_name ?? `${repo.owner?.login ?? ''}/${repo.name ?? ''}`;
  const topics = options.topics ?? repo.topics ?? [];
  return {
    id: repo.id ?? 0,
    owner: repo.owner?.login ?? fullName.split('/')[0]!,
    name: repo.name ?? '',
    fullName,
    description: repo.description ?? '',
    private: repo.private ?? false,
    cloneSsh: options.sshHost ? `git@${options.sshHost}:${fullName}.git` : (repo.ssh_url ?? ''),
    cloneHttp: repo.clone_url ?? '',
    webUrl: repo.html_url ?? '',
    defaultBranch: repo.default_branch || 'main',
    managed: topics.includes(MARKER_TOPIC),
    archived: repo.archived ?? false,
    empty: repo.empty ?? false,
    // Gitea stores whole seconds (timeutil.TimeStamp) and sends them as RFC 3339 (modules/structs/repo.go, Created).
    createdAt: repo.created_at ?? '',
    updatedAt: repo.updated_at ?? repo.created_at ?? '',
  };
}

export function toGitWebhook(hook: Hook): GitWebhook {
  return { id: hook.id ?? 0, url: hook.config?.url ?? '', events: hook.events ?? [], active: hook.active ?? false };
}

/** UTF-8 text to the base64 Gitea's contents API wants. */
export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
