/**
 * @module sandbox/gitea/gitea-render
 * Gitea 1.25's JSON shapes (swagger definitions User, Organization, Repository, Hook, DeployKey,
 * PayloadCommit), filled the way a fresh Gitea fills them. Fields Gitea sends as null are left out
 * where the swagger does not allow null.
 */
import type { CommitFacts } from './git-log.js';
import type { HookRecord, KeyRecord, OrgRecord, RepoRecord, UserRecord } from './gitea-state.js';

export interface Site {
  /** Root URL without trailing slash, e.g. http://127.0.0.1:3000 */
  root: string;
  sshHost: string;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export function renderUser(site: Site, user: UserRecord | OrgRecord) {
  const login = 'login' in user ? user.login : user.name;
  return {
    id: user.id,
    login,
    login_name: '',
    source_id: 0,
    full_name: 'fullName' in user ? user.fullName : '',
    email: `${login.toLowerCase()}@noreply.localhost`,
    avatar_url: `${site.root}/avatars/${user.id}`,
    html_url: `${site.root}/${login}`,
    language: '',
    is_admin: 'isAdmin' in user ? user.isAdmin : false,
    last_login: ZERO_TIME,
    created: user.created,
    restricted: false,
    active: 'login' in user,
    prohibit_login: false,
    location: '',
    website: '',
    description: '',
    visibility: 'public',
    followers_count: 0,
    following_count: 0,
    starred_repos_count: 0,
    username: login,
  };
}

export function renderOrg(site: Site, org: OrgRecord) {
  return {
    id: org.id,
    name: org.name,
    username: org.name,
    full_name: '',
    email: '',
    avatar_url: `${site.root}/avatars/${org.id}`,
    description: '',
    website: '',
    location: '',
    visibility: 'public',
    repo_admin_change_team_access: true,
  };
}

export function renderRepo(site: Site, repo: RepoRecord, owner: OrgRecord | UserRecord, empty: boolean) {
  const full = `${repo.owner}/${repo.name}`;
  return {
    id: repo.id,
    owner: renderUser(site, owner),
    name: repo.name,
    full_name: full,
    description: repo.description,
    empty,
    private: repo.private,
    fork: false,
    template: false,
    mirror: false,
    size: 0,
    language: '',
    languages_url: `${site.root}/api/v1/repos/${full}/languages`,
    html_url: `${site.root}/${full}`,
    url: `${site.root}/api/v1/repos/${full}`,
    link: '',
    ssh_url: `git@${site.sshHost}:${full}.git`,
    clone_url: `${site.root}/${full}.git`,
    original_url: '',
    website: '',
    stars_count: 0,
    forks_count: 0,
    watchers_count: 1,
    open_issues_count: 0,
    open_pr_counter: 0,
    release_counter: 0,
    default_branch: repo.defaultBranch,
    archived: repo.archived,
    created_at: repo.created,
    updated_at: repo.updated,
    archived_at: repo.archived ? repo.updated : '1970-01-01T00:00:00Z',
    permissions: { admin: true, push: true, pull: true },
    has_code: true,
    has_issues: true,
    internal_tracker: {
      enable_time_tracker: true,
      allow_only_contributors_to_track_time: true,
      enable_issue_dependencies: true,
    },
    has_wiki: true,
    has_pull_requests: true,
    has_projects: true,
    projects_mode: 'all',
    has_releases: true,
    has_packages: true,
    has_actions: true,
    ignore_whitespace_conflicts: false,
    allow_merge_commits: true,
    allow_rebase: true,
    allow_rebase_explicit: true,
    allow_squash_merge: true,
    allow_fast_forward_only_merge: true,
    allow_rebase_update: true,
    allow_manual_merge: false,
    autodetect_manual_merge: false,
    default_delete_branch_after_merge: false,
    default_merge_style: 'merge',
    default_allow_maintainer_edit: false,
    avatar_url: '',
    internal: false,
    mirror_interval: '',
    object_format_name: 'sha1',
    mirror_updated: ZERO_TIME,
    topics: [...repo.topics],
    licenses: [],
  };
}

export function renderHook(hook: HookRecord) {
  return {
    id: hook.id,
    type: hook.type,
    branch_filter: hook.branchFilter,
    config: { url: hook.url, content_type: hook.contentType },
    events: [...hook.events],
    authorization_header: '',
    active: hook.active,
    updated_at: hook.updated,
    created_at: hook.created,
  };
}

export function renderKey(site: Site, repo: RepoRecord, key: KeyRecord) {
  return {
    id: key.id,
    key_id: key.id,
    key: key.key,
    url: `${site.root}/api/v1/repos/${repo.owner}/${repo.name}/keys/${key.id}`,
    title: key.title,
    fingerprint: key.fingerprint,
    created_at: key.created,
    read_only: key.readOnly,
  };
}

/** PayloadCommit, as in push payloads and Branch.commit. `verification` is null in Gitea's payloads. */
export function renderPayloadCommit(site: Site, repo: RepoRecord, commit: CommitFacts, pusher?: string) {
  const person = (p: { name: string; email: string }) => ({ name: p.name, email: p.email, username: pusher ?? '' });
  return {
    id: commit.id,
    message: commit.message,
    url: `${site.root}/${repo.owner}/${repo.name}/commit/${commit.id}`,
    author: person(commit.author),
    committer: person(commit.committer),
    timestamp: commit.timestamp,
    added: commit.added,
    removed: commit.removed,
    modified: commit.modified,
  };
}
