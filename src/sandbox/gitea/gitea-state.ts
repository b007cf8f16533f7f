/**
 * @module sandbox/gitea/gitea-state
 * What the Gitea stand-in knows besides the git data: users, organizations, repository settings,
 * collaborators, deploy keys and hooks. Kept in one JSON file next to the bare repositories so a
 * `--sandbox` restart finds its repositories again.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type Permission = 'read' | 'write' | 'admin';

export interface UserRecord {
  id: number;
  login: string;
  fullName: string;
  isAdmin: boolean;
  created: string;
}
export interface OrgRecord {
  id: number;
  name: string;
  created: string;
}
export interface KeyRecord {
  id: number;
  title: string;
  key: string;
  readOnly: boolean;
  fingerprint: string;
  created: string;
}
export interface HookRecord {
  id: number;
  type: string;
  url: string;
  contentType: 'json' | 'form';
  secret: string;
  httpMethod: string;
  events: string[];
  active: boolean;
  branchFilter: string;
  authorizationHeader: string;
  created: string;
  updated: string;
}
export interface RepoRecord {
  id: number;
  owner: string;
  name: string;
  description: string;
  private: boolean;
  defaultBranch: string;
  archived: boolean;
  topics: string[];
  created: string;
  updated: string;
  collaborators: Record<string, Permission>;
  keys: KeyRecord[];
  hooks: HookRecord[];
}

interface StateFile {
  nextId: number;
  users: UserRecord[];
  orgs: OrgRecord[];
  repos: RepoRecord[];
}

export const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

export class GiteaState {
  private data: StateFile;
  private readonly file: string;
  readonly reposDir: string;

  constructor(readonly dataDir: string) {
    this.file = join(dataDir, 'state.json');
    this.reposDir = join(dataDir, 'repos');
    mkdirSync(this.reposDir, { recursive: true });
    this.data = existsSync(this.file)
      ? (JSON.parse(readFileSync(this.file, 'utf8')) as StateFile)
      : { nextId: 1, users: [], orgs: [], repos: [] };
  }

  save(): void {
    writeFileSync(this.file, JSON.stringify(this.data, null, 2));
  }

  id(): number {
    return this.data.nextId++;
  }

  ensureUser(login: string, isAdmin = false): UserRecord {
    const found = this.user(login);
    if (found) return found;
    const user = { id: this.id(), login, fullName: '', isAdmin, created: now() };
    this.data.users.push(user);
    this.save();
    return user;
  }

  ensureOrg(name: string): OrgRecord {
    const found = this.org(name);
    if (found) return found;
    const org = { id: this.id(), name, created: now() };
    this.data.orgs.push(org);
    this.save();
    return org;
  }

  user(login: string): UserRecord | undefined {
    return this.data.users.find((u) => u.login.toLowerCase() === login.toLowerCase());
  }

  org(name: string): OrgRecord | undefined {
    return this.data.orgs.find((o) => o.name.toLowerCase() === name.toLowerCase());
  }

  repo(owner: string, name: string): RepoRecord | undefined {
    return this.data.repos.find(
      (r) => r.owner.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase(),
    );
  }

  repoById(id: number): RepoRecord | undefined {
    return this.data.repos.find((r) => r.id === id);
  }

  reposOf(owner: string): RepoRecord[] {
    return this.data.repos.filter((r) => r.owner.toLowerCase() === owner.toLowerCase()).sort((a, b) => a.id - b.id);
  }

  addRepo(
    repo: Omit<RepoRecord, 'id' | 'created' | 'updated' | 'collaborators' | 'keys' | 'hooks' | 'topics'>,
  ): RepoRecord {
    const record: RepoRecord = {
      ...repo,
      id: this.id(),
      created: now(),
      updated: now(),
      topics: [],
      collaborators: {},
      keys: [],
      hooks: [],
    };
    this.data.repos.push(record);
    this.save();
    return record;
  }

  removeRepo(repo: RepoRecord): void {
    this.data.repos = this.data.repos.filter((r) => r.id !== repo.id);
    rmSync(this.gitDir(repo), { recursive: true, force: true });
    this.save();
  }

  /** Where the bare repository lives; lower case, as Gitea stores it. */
  gitDir(repo: { owner: string; name: string }): string {
    return join(this.reposDir, repo.owner.toLowerCase(), `${repo.name.toLowerCase()}.git`);
  }
}
