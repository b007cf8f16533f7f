/**
 * @module adapters/memory/memory-git-host
 * A stateful in-memory GitHost for service tests. It keeps the same rules the Gitea adapter
 * reports (CONFLICT on a taken name, NOT_FOUND, INVALID_INPUT for an unknown user) and passes the
 * same contract suite, so services tested against it behave the same against Gitea.
 */
import { createHash } from 'node:crypto';
import { conflict, invalidInput, notFound } from '../../domain/errors.js';
import type {
  CollaboratorPermission,
  DeployKey,
  GitHost,
  GitRepo,
  GitWebhook,
  RepoFile,
} from '../../ports/git-host.port.js';
import { settled } from './settled.js';

export interface MemoryGitHostOptions {
  org?: string;
  /** Base URL shown in HTTP clone and web URLs. */
  baseUrl?: string;
  /** Users that exist (collaborators must be one of them). */
  users?: string[];
}

interface StoredRepo {
  repo: GitRepo;
  collaborators: Map<string, CollaboratorPermission>;
  keys: DeployKey[];
  hooks: Array<GitWebhook & { secret: string }>;
  /** branch → files at its head */
  trees: Map<string, Map<string, string>>;
  heads: Map<string, string>;
}

export class MemoryGitHost implements GitHost {
  readonly org: string;
  private readonly baseUrl: string;
  private readonly users: Set<string>;
  private readonly repos = new Map<string, StoredRepo>();
  private nextId = 1;

  constructor(options: MemoryGitHostOptions = {}) {
    this.org = options.org ?? 'threesix';
    this.baseUrl = (options.baseUrl ?? 'http://git.memory.test').replace(/\/+$/, '');
    this.users = new Set((options.users ?? ['alice', 'bob']).map((u) => u.toLowerCase()));
  }

  async probe(): Promise<void> {}

  diagnose() {
    return settled(() => [
      { check: 'memory git host', ok: true, detail: `${this.repos.size} repositories in ${this.org}` },
    ]);
  }

  /**
   * Test helper: a repository without the marker topic, as someone else makes it (a first commit
   * by default), or, with `empty`, as the Gitea adapter leaves one when its process dies between
   * the create and the topic call. `createdAt` backdates it.
   */
  addForeignRepo(name: string, options: { empty?: boolean; createdAt?: string } = {}): GitRepo {
    this.insert({ name, description: 'not ours', private: false, autoInit: !options.empty }, false);
    if (options.createdAt) this.stored(name).repo.createdAt = options.createdAt;
    return { ...this.stored(name).repo };
  }

  /** Test helper: makes `username` exist. */
  addUser(username: string): void {
    this.users.add(username.toLowerCase());
  }

  /** Test helper: files on a branch's head, for asserting what a commit wrote. */
  filesOn(repo: string, branch: string): Record<string, string> {
    return Object.fromEntries(this.stored(repo).trees.get(branch) ?? []);
  }

  createRepo(input: { name: string; description: string; private: boolean; autoInit: boolean }): Promise<GitRepo> {
    return settled(() => {
      if (this.repos.has(input.name.toLowerCase()))
        throw conflict(`repository ${this.org}/${input.name} already exists`);
      return this.insert(input, true);
    });
  }

  markManaged(name: string): Promise<void> {
    return settled(() => {
      this.stored(name).repo.managed = true;
    });
  }

  getRepo(name: string): Promise<GitRepo> {
    return settled(() => ({ ...this.stored(name).repo }));
  }

  listRepos(options: { page?: number; limit?: number } = {}) {
    return settled(() => {
      const page = Math.max(options.page ?? 1, 1);
      const limit = Math.min(Math.max(options.limit ?? 30, 1), 50);
      const all = [...this.repos.values()].map((s) => ({ ...s.repo })).sort((a, b) => a.id - b.id);
      const items = all.slice((page - 1) * limit, page * limit);
      return { items, total: all.length, ...(page * limit < all.length ? { nextPage: page + 1 } : {}) };
    });
  }

  deleteRepo(name: string): Promise<void> {
    return settled(() => {
      this.stored(name);
      this.repos.delete(name.toLowerCase());
    });
  }

  archiveRepo(name: string): Promise<void> {
    return settled(() => {
      this.stored(name).repo.archived = true;
    });
  }

  addCollaborator(repo: string, username: string, permission: CollaboratorPermission): Promise<void> {
    return settled(() => {
      const stored = this.stored(repo);
      if (!this.users.has(username.toLowerCase()))
        throw invalidInput(`user "${username}" does not exist`, 'Check the username in Gitea');
      stored.collaborators.set(username.toLowerCase(), permission);
    });
  }

  listDeployKeys(repo: string): Promise<DeployKey[]> {
    return settled(() => this.stored(repo).keys.map((k) => ({ ...k })));
  }

  addDeployKey(repo: string, key: { title: string; key: string; readOnly: boolean }): Promise<DeployKey> {
    return settled(() => {
      const stored = this.stored(repo);
      const material = keyMaterial(key.key);
      const same = stored.keys.find((k) => keyMaterial(k.key) === material);
      if (same && same.title === key.title) return { ...same };
      if (same)
        throw invalidInput(
          'this key is already a deploy key of the repository under another title',
          'Reuse that title or another key',
        );
      if (stored.keys.some((k) => k.title === key.title))
        throw invalidInput(`a deploy key titled "${key.title}" already exists`, 'Choose another title');
      const created: DeployKey = { id: this.nextId++, title: key.title, key: material, readOnly: key.readOnly };
      stored.keys.push(created);
      return { ...created };
    });
  }

  deleteDeployKey(repo: string, id: number): Promise<void> {
    return settled(() => {
      const stored = this.stored(repo);
      if (!stored.keys.some((k) => k.id === id)) throw notFound(`deploy key ${id} not found`);
      stored.keys = stored.keys.filter((k) => k.id !== id);
    });
  }

  listWebhooks(repo: string): Promise<GitWebhook[]> {
    return settled(() =>
      this.stored(repo).hooks.map(({ secret: _secret, ...hook }) => ({ ...hook, events: [...hook.events] })),
    );
  }

  ensureWebhook(repo: string, hook: { url: string; secret: string; events: string[] }) {
    return settled(() => {
      const stored = this.stored(repo);
      const existing = stored.hooks.find((h) => h.url === hook.url);
      if (existing)
        return {
          hook: { id: existing.id, url: existing.url, events: [...existing.events], active: existing.active },
          created: false,
        };
      const created = { id: this.nextId++, url: hook.url, events: [...hook.events], active: true, secret: hook.secret };
      stored.hooks.push(created);
      return { hook: { id: created.id, url: created.url, events: [...created.events], active: true }, created: true };
    });
  }

  deleteWebhook(repo: string, id: number): Promise<void> {
    return settled(() => {
      const stored = this.stored(repo);
      if (!stored.hooks.some((h) => h.id === id)) throw notFound(`webhook ${id} not found`);
      stored.hooks = stored.hooks.filter((h) => h.id !== id);
    });
  }

  commitFiles(
    repo: string,
    change: { branch: string; message: string; files: RepoFile[]; allNew?: boolean },
  ): Promise<{ sha: string }> {
    return settled(() => {
      const stored = this.stored(repo);
      if (change.files.length === 0) throw invalidInput('a commit needs at least one file');
      if (!stored.repo.empty && !stored.heads.has(change.branch)) throw notFound(`branch ${change.branch} not found`);
      const tree = stored.trees.get(change.branch);
      // As Gitea answers a "create" of an existing file: 422, nothing written.
      if (change.allNew && change.files.some((f) => tree?.has(f.path)))
        throw invalidInput(`a file already exists on ${change.branch}`);
      return { sha: commit(stored, change.branch, change.message, change.files) };
    });
  }

  getBranchHead(repo: string, branch: string): Promise<{ sha: string }> {
    return settled(() => {
      const sha = this.stored(repo).heads.get(branch);
      if (!sha) throw notFound(`branch ${branch} not found in ${this.org}/${repo}`);
      return { sha };
    });
  }

  private insert(
    input: { name: string; description: string; private: boolean; autoInit: boolean },
    managed: boolean,
  ): GitRepo {
    const id = this.nextId++;
    const path = `${this.org}/${input.name}`;
    const host = new URL(this.baseUrl).hostname;
    const repo: GitRepo = {
      id,
      owner: this.org,
      name: input.name,
      fullName: path,
      description: input.description,
      private: input.private,
      cloneSsh: `git@${host}:${path}.git`,
      cloneHttp: `${this.baseUrl}/${path}.git`,
      webUrl: `${this.baseUrl}/${path}`,
      defaultBranch: 'main',
      managed,
      archived: false,
      empty: true,
      // Whole seconds, as Gitea stores them.
      createdAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      updatedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    const stored: StoredRepo = {
      repo,
      collaborators: new Map(),
      keys: [],
      hooks: [],
      trees: new Map(),
      heads: new Map(),
    };
    this.repos.set(input.name.toLowerCase(), stored);
    if (input.autoInit)
      commit(stored, 'main', 'Initial commit', [
        { path: 'README.md', content: `# ${input.name}\n\n${input.description}\n` },
      ]);
    return { ...repo };
  }

  private stored(name: string): StoredRepo {
    const stored = this.repos.get(name.toLowerCase());
    if (!stored) throw notFound(`repository ${this.org}/${name} not found`, 'Check the name; create_repo makes it');
    return stored;
  }
}

function commit(stored: StoredRepo, branch: string, message: string, files: RepoFile[]): string {
  const parent = stored.heads.get(branch) ?? '';
  const tree = new Map(stored.trees.get(branch) ?? []);
  for (const file of files) tree.set(file.path, file.content);
  const sha = createHash('sha1')
    .update(`${parent}\n${message}\n${JSON.stringify([...tree])}\n${Math.random()}`)
    .digest('hex');
  stored.trees.set(branch, tree);
  stored.heads.set(branch, sha);
  stored.repo.empty = false;
  stored.repo.updatedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  return sha;
}

/** Gitea stores a key as "type base64" without its comment, and compares keys that way. */
function keyMaterial(key: string): string {
  return key.trim().split(/\s+/).slice(0, 2).join(' ');
}
