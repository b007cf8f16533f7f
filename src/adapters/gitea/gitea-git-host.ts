/**
 * @module adapters/gitea/gitea-git-host
 * GitHost over Gitea's REST API with gitea-js. Every call goes through one resilient fetch
 * (deadline, retries for idempotent methods only) and one error translation at this boundary.
 */
import { giteaApi, type Api, type ChangeFileOperation } from 'gitea-js';
import { DomainError } from '../../domain/errors.js';
import type { BackendCheck } from '../../ports/backend-probe.port.js';
import type {
  CollaboratorPermission,
  DeployKey,
  GitHost,
  GitRepo,
  GitWebhook,
  RepoFile,
} from '../../ports/git-host.port.js';
import { giteaCall, statusOf, translateGiteaError } from './gitea-errors.js';
import { resilientFetch } from './gitea-fetch.js';
import { MARKER_TOPIC, base64, toGitRepo, toGitWebhook } from './gitea-mapping.js';
import { collectPages, pageInfo } from './gitea-pagination.js';
import { diagnoseGitea, verifyToken } from './gitea-diagnose.js';

export interface GiteaGitHostOptions {
  url: string;
  token: string;
  org: string;
  /** Host for SSH clone URLs when it differs from what Gitea reports. */
  sshHost?: string;
  timeoutMs?: number;
  retries?: number;
  /** First backoff step between retries (doubles, capped at 4 s). */
  backoffMs?: number;
  fetch?: typeof fetch;
}

export class GiteaGitHost implements GitHost {
  readonly org: string;
  private readonly api: Api<unknown>;
  private readonly sshHost: string | undefined;

  constructor(options: GiteaGitHostOptions) {
    this.org = options.org;
    this.sshHost = options.sshHost;
    const customFetch = resilientFetch({
      timeoutMs: options.timeoutMs ?? 15_000,
      retries: options.retries ?? 2,
      baseDelayMs: options.backoffMs,
      fetch: options.fetch,
    });
    this.api = giteaApi(options.url.replace(/\/+$/, ''), { token: options.token, customFetch });
  }

  async probe(): Promise<void> {
    await verifyToken(this.api, this.org);
  }

  diagnose(): Promise<BackendCheck[]> {
    return diagnoseGitea(this.api, this.org);
  }

  async createRepo(input: {
    name: string;
    description: string;
    private: boolean;
    autoInit: boolean;
  }): Promise<GitRepo> {
    const what = `create repository ${this.org}/${input.name}`;
    const { data } = await giteaCall(
      { what, invalid: 'Gitea refused the name or the organization does not exist' },
      () =>
        this.api.orgs.createOrgRepo(this.org, {
          name: input.name,
          description: input.description,
          private: input.private,
          auto_init: input.autoInit,
          default_branch: 'main',
          ...(input.autoInit ? { readme: 'Default' } : {}),
        }),
    );
    try {
      await this.markManaged(input.name);
    } catch (error) {
      // Never leave an unmarked repository behind: nobody could prove it is ours afterwards.
      await this.deleteRepo(input.name).catch(() => undefined);
      throw error;
    }
    // The create answer is the repository; the marker is now on it too. Reading it back would
    // only cost the caller another round trip.
    return toGitRepo(data, { sshHost: this.sshHost, topics: [...(data.topics ?? []), MARKER_TOPIC] });
  }

  async markManaged(name: string): Promise<void> {
    // PUT /repos/{owner}/{repo}/topics/{topic} answers 204 whether or not the topic was there.
    await giteaCall(
      { what: `mark ${this.org}/${name} as managed`, missing: `repository ${this.org}/${name} not found` },
      () => this.api.repos.repoAddTopic(this.org, name, MARKER_TOPIC),
    );
  }

  async getRepo(name: string): Promise<GitRepo> {
    const what = `read repository ${this.org}/${name}`;
    const { data } = await giteaCall({ what, missing: `repository ${this.org}/${name} not found` }, () =>
      this.api.repos.repoGet(this.org, name),
    );
    // Gitea before 1.22 leaves topics out of the repository object; ask for them then.
    const topics =
      data.topics ?? (await giteaCall({ what }, () => this.api.repos.repoListTopics(this.org, name))).data.topics ?? [];
    return toGitRepo(data, { sshHost: this.sshHost, topics });
  }

  async listRepos(options: { page?: number; limit?: number } = {}) {
    const page = Math.max(options.page ?? 1, 1);
    const limit = Math.min(Math.max(options.limit ?? 30, 1), 50);
    const response = await giteaCall({ what: `list repositories of ${this.org}` }, () =>
      this.api.orgs.orgListRepos(this.org, { page, limit }),
    );
    const info = pageInfo(response.headers);
    const items = response.data.map((repo) => toGitRepo(repo, { sshHost: this.sshHost }));
    return { items, total: info.total ?? items.length, ...(info.nextPage ? { nextPage: info.nextPage } : {}) };
  }

  async deleteRepo(name: string): Promise<void> {
    const what = `delete repository ${this.org}/${name}`;
    await giteaCall({ what, missing: `repository ${this.org}/${name} not found` }, () =>
      this.api.repos.repoDelete(this.org, name),
    );
  }

  async archiveRepo(name: string): Promise<void> {
    await giteaCall({ what: `archive repository ${this.org}/${name}` }, () =>
      this.api.repos.repoEdit(this.org, name, { archived: true }),
    );
  }

  async addCollaborator(repo: string, username: string, permission: CollaboratorPermission): Promise<void> {
    const what = `add collaborator ${username} to ${this.org}/${repo}`;
    await giteaCall({ what, invalid: `user "${username}" does not exist or cannot be added` }, () =>
      this.api.repos.repoAddCollaborator(this.org, repo, username, { permission }),
    );
  }

  async listDeployKeys(repo: string): Promise<DeployKey[]> {
    const keys = await giteaCall({ what: `list deploy keys of ${this.org}/${repo}` }, () =>
      collectPages((page) => this.api.repos.repoListKeys(this.org, repo, { page, limit: 50 })),
    );
    return keys.map((k) => ({ id: k.id ?? 0, title: k.title ?? '', key: k.key ?? '', readOnly: k.read_only ?? false }));
  }

  async addDeployKey(repo: string, key: { title: string; key: string; readOnly: boolean }): Promise<DeployKey> {
    const material = key.key.trim().split(/\s+/).slice(0, 2).join(' ');
    const what = `add deploy key "${key.title}" to ${this.org}/${repo}`;
    try {
      // Create first: a new key costs one call. Gitea answers 422 when the title or the key is
      // already there; only then is the list worth reading, to return the very same key.
      const { data } = await giteaCall(
        { what, invalid: 'the key is invalid or already used, or the title is taken' },
        () => this.api.repos.repoCreateKey(this.org, repo, { title: key.title, key: key.key, read_only: key.readOnly }),
      );
      return {
        id: data.id ?? 0,
        title: data.title ?? key.title,
        key: data.key ?? material,
        readOnly: data.read_only ?? key.readOnly,
      };
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'INVALID_INPUT') throw error;
      const existing = (await this.listDeployKeys(repo)).find(
        (k) => k.title === key.title && k.key.trim().startsWith(material),
      );
      if (existing) return existing;
      throw error;
    }
  }

  async deleteDeployKey(repo: string, id: number): Promise<void> {
    await giteaCall({ what: `delete deploy key ${id} of ${this.org}/${repo}` }, () =>
      this.api.repos.repoDeleteKey(this.org, repo, id),
    );
  }

  async listWebhooks(repo: string): Promise<GitWebhook[]> {
    const hooks = await giteaCall({ what: `list webhooks of ${this.org}/${repo}` }, () =>
      collectPages((page) => this.api.repos.repoListHooks(this.org, repo, { page, limit: 50 })),
    );
    return hooks.map(toGitWebhook);
  }

  async ensureWebhook(repo: string, hook: { url: string; secret: string; events: string[] }) {
    const existing = (await this.listWebhooks(repo)).find((h) => h.url === hook.url);
    if (existing) return { hook: existing, created: false };
    const { data } = await giteaCall(
      { what: `create a webhook on ${this.org}/${repo}`, invalid: 'Gitea refused the hook URL or events' },
      () =>
        this.api.repos.repoCreateHook(this.org, repo, {
          type: 'gitea',
          config: { url: hook.url, content_type: 'json', secret: hook.secret },
          events: hook.events,
          active: true,
        }),
    );
    return { hook: toGitWebhook(data), created: true };
  }

  async deleteWebhook(repo: string, id: number): Promise<void> {
    await giteaCall({ what: `delete webhook ${id} of ${this.org}/${repo}` }, () =>
      this.api.repos.repoDeleteHook(this.org, repo, id),
    );
  }

  async commitFiles(
    repo: string,
    change: { branch: string; message: string; files: RepoFile[]; allNew?: boolean },
  ): Promise<{ sha: string }> {
    // "create" makes Gitea refuse (422) a file that exists; an update must name the blob it
    // replaces, so without allNew each file's sha is read first (the reads are independent).
    const shas = change.allNew
      ? []
      : await Promise.all(change.files.map((file) => this.fileSha(repo, change.branch, file.path)));
    const files: ChangeFileOperation[] = change.files.map((file, i) => {
      const sha = shas[i];
      return {
        operation: sha ? 'update' : 'create',
        path: file.path,
        content: base64(file.content),
        ...(sha ? { sha } : {}),
      };
    });
    const what = `commit ${files.length} files to ${this.org}/${repo}@${change.branch}`;
    const invalid = change.allNew
      ? 'one of the files already exists there, or Gitea refused the change'
      : 'Gitea refused the change';
    const { data } = await giteaCall({ what, invalid }, () =>
      this.api.repos.repoChangeFiles(this.org, repo, { branch: change.branch, message: change.message, files }),
    );
    const sha = data.commit?.sha;
    if (!sha) throw new DomainError('INTERNAL', `${what}: Gitea did not return the commit`);
    return { sha };
  }

  async getBranchHead(repo: string, branch: string): Promise<{ sha: string }> {
    const missing = `branch ${branch} not found in ${this.org}/${repo}`;
    const { data } = await giteaCall({ what: `read branch ${branch} of ${this.org}/${repo}`, missing }, () =>
      this.api.repos.repoGetBranch(this.org, repo, branch),
    );
    if (!data.commit?.id) throw new DomainError('NOT_FOUND', missing);
    return { sha: data.commit.id };
  }

  /** The blob sha of a file on a branch, or undefined when it (or the branch) does not exist yet. */
  private async fileSha(repo: string, branch: string, path: string): Promise<string | undefined> {
    try {
      const { data } = await this.api.repos.repoGetContents(this.org, repo, path, { ref: branch });
      return Array.isArray(data) ? undefined : (data.sha ?? undefined);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw translateGiteaError(error, { what: `read ${path} in ${this.org}/${repo}` });
    }
  }
}
