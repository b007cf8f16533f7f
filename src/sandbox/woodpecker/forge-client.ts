/**
 * @module sandbox/woodpecker/forge-client
 * The Gitea API calls Woodpecker makes as its bot user: find a repository by its id, create and
 * delete the push hook pointing back at Woodpecker, read a file at a commit, find a branch's head;
 * and the clone step's checkout with the same credential.
 */
import { cloneWorkspace, type Workspace } from './workspace-clone.js';

export interface ForgeRepo {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  cloneUrl: string;
  htmlUrl: string;
  private: boolean;
}

interface GiteaRepoJson {
  id: number;
  name: string;
  owner: { login: string };
  default_branch: string;
  clone_url: string;
  html_url: string;
  private: boolean;
}

export class ForgeClient {
  constructor(
    private readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** As Woodpecker's Gitea forge finds a repository by its forge id (GET /repositories/{id}), in one call. */
  async repoById(id: number): Promise<ForgeRepo | undefined> {
    const found = await this.call<GiteaRepoJson>('GET', `/repositories/${id}`).catch(() => undefined);
    if (!found) return undefined;
    return {
      id: found.id,
      owner: found.owner.login,
      name: found.name,
      defaultBranch: found.default_branch,
      cloneUrl: found.clone_url,
      htmlUrl: found.html_url,
      private: found.private,
    };
  }

  /** What Woodpecker's Gitea forge registers on activation (server/forge/gitea Activate). */
  async createHook(owner: string, name: string, url: string, secret: string): Promise<number> {
    const hook = await this.call<{ id: number }>('POST', `/repos/${owner}/${name}/hooks`, {
      type: 'gitea',
      config: { url, content_type: 'json', secret },
      events: ['push', 'create', 'pull_request', 'release'],
      active: true,
    });
    return hook.id;
  }

  async deleteHook(owner: string, name: string, id: number): Promise<void> {
    await this.call('DELETE', `/repos/${owner}/${name}/hooks/${id}`).catch(() => undefined);
  }

  /** The file's text at `ref`, or undefined when it does not exist there. */
  async readFile(owner: string, name: string, path: string, ref: string): Promise<string | undefined> {
    try {
      const file = await this.call<{ content: string; encoding: string }>(
        'GET',
        `/repos/${owner}/${name}/contents/${encodeURIComponent(path)}?ref=${ref}`,
      );
      return Buffer.from(file.content, 'base64').toString('utf8');
    } catch {
      return undefined;
    }
  }

  /**
   * The branch's head commit (GET /repos/{owner}/{repo}/branches/{branch}), as Woodpecker's Gitea
   * forge BranchHead asks; undefined when there is no such branch.
   */
  async branchHead(owner: string, name: string, branch: string): Promise<string | undefined> {
    const found = await this.call<{ commit: { id: string } }>(
      'GET',
      `/repos/${owner}/${name}/branches/${encodeURIComponent(branch)}`,
    ).catch(() => undefined);
    return found?.commit.id;
  }

  /** The clone step: `sha` checked out into a fresh workspace, authenticated as the bot user. */
  checkout(cloneUrl: string, forgeUrl: string, sha: string, log: string[]): Promise<Workspace> {
    return cloneWorkspace(cloneUrl, forgeUrl, sha, this.token, log);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl.replace(/\/+$/, '')}/api/v1${path}`, {
      method,
      headers: { authorization: `token ${this.token}`, 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      await response.body?.cancel().catch(() => undefined);
      throw new Error(`forge ${method} ${path.split('?')[0]} answered ${response.status}`);
    }
    return (response.status === 204 ? undefined : await response.json()) as T;
  }
}
