/**
 * @module ports/git-host
 * Git hosting (Gitea) in domain terms. Repositories live in one organization (GITEA_DEFAULT_ORG).
 * Ownership rules (adopt ours, refuse foreign) live in the services; the port reports the facts:
 * `managed` says whether the repository carries threesix's marker topic.
 */
import type { BackendProbe } from './backend-probe.port.js';

export interface GitRepo {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  description: string;
  private: boolean;
  cloneSsh: string;
  cloneHttp: string;
  webUrl: string;
  defaultBranch: string;
  /** Carries the `threesix-managed` marker topic. */
  managed: boolean;
  archived: boolean;
  /** No commits yet. */
  empty: boolean;
  /**
   * When the host created it (ISO 8601; Gitea's `created_at`, whole seconds). With `owner` and
   * `empty` it is how a resumed create recognises the repository it made before a crash kept the
   * marker off it.
   */
  createdAt: string;
  /** When it last changed (Gitea's `updated_at`: a push, a settings change). */
  updatedAt: string;
}

export type CollaboratorPermission = 'read' | 'write' | 'admin';

export interface DeployKey {
  id: number;
  title: string;
  key: string;
  readOnly: boolean;
}

export interface GitWebhook {
  id: number;
  url: string;
  events: string[];
  active: boolean;
}

export interface RepoFile {
  path: string;
  /** UTF-8 text. */
  content: string;
}

export interface GitHost extends BackendProbe {
  /** The organization repositories are created in. */
  readonly org: string;
  /**
   * Creates `org/name` with the marker topic and, when autoInit, a first commit on `main`. CONFLICT when the name
   * exists.
   */
  createRepo(input: { name: string; description: string; private: boolean; autoInit: boolean }): Promise<GitRepo>;
  /**
   * Puts the marker topic on `name` (idempotent), for a repository a resumed create adopted unmarked. NOT_FOUND when
   * absent.
   */
  markManaged(name: string): Promise<void>;
  /** NOT_FOUND when absent. */
  getRepo(name: string): Promise<GitRepo>;
  /** One page of the organization's repositories, following Gitea's pagination. */
  listRepos(options?: {
    page?: number;
    limit?: number;
  }): Promise<{ items: GitRepo[]; total: number; nextPage?: number }>;
  /** NOT_FOUND when absent. The service checks ownership first. */
  deleteRepo(name: string): Promise<void>;
  archiveRepo(name: string): Promise<void>;
  /** Idempotent: adds or updates the permission. */
  addCollaborator(repo: string, username: string, permission: CollaboratorPermission): Promise<void>;
  listDeployKeys(repo: string): Promise<DeployKey[]>;
  /** Idempotent by title+key: returns the existing key when the same one is already there. */
  addDeployKey(repo: string, key: { title: string; key: string; readOnly: boolean }): Promise<DeployKey>;
  deleteDeployKey(repo: string, id: number): Promise<void>;
  listWebhooks(repo: string): Promise<GitWebhook[]>;
  /** Finds our hook by URL, creates it when missing, never duplicates. */
  ensureWebhook(
    repo: string,
    hook: { url: string; secret: string; events: string[] },
  ): Promise<{ hook: GitWebhook; created: boolean }>;
  deleteWebhook(repo: string, id: number): Promise<void>;
  /**
   * Writes several files in one commit on `branch`. With `allNew` every file is created without
   * reading it first (the caller has just found the branch missing): one call instead of one read
   * per file, and the host refuses (CONFLICT) rather than overwrite a file that exists after all.
   */
  commitFiles(
    repo: string,
    change: { branch: string; message: string; files: RepoFile[]; allNew?: boolean },
  ): Promise<{ sha: string }>;
  /** NOT_FOUND when the branch does not exist (e.g. an empty repository). */
  getBranchHead(repo: string, branch: string): Promise<{ sha: string }>;
}
