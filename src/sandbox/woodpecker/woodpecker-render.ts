/**
 * @module sandbox/woodpecker/woodpecker-render
 * The stand-in's records in Woodpecker's JSON shapes (swagger definitions Repo, Secret, Pipeline).
 */
import type { StandInPipeline, StandInRepo, StandInSecret } from './woodpecker-state.js';

export function renderRepo(repo: StandInRepo) {
  return {
    id: repo.id,
    forge_id: 1,
    forge_remote_id: String(repo.forgeRemoteId),
    org_id: 1,
    owner: repo.owner,
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    avatar_url: '',
    forge_url: repo.forgeUrl,
    clone_url: repo.cloneUrl,
    clone_url_ssh: '',
    default_branch: repo.defaultBranch,
    pr_enabled: true,
    private: repo.private,
    visibility: repo.private ? 'private' : 'public',
    timeout: 60,
    trusted: { network: false, security: false, volumes: false },
    require_approval: 'forks',
    approval_allowed_users: [],
    active: repo.active,
    allow_pr: true,
    allow_deploy: false,
    config_file: '',
    cancel_previous_pipeline_events: [],
    netrc_trusted: [],
  };
}

export function renderSecret(repo: StandInRepo, secret: StandInSecret) {
  // The value is write-only in Woodpecker's API.
  return { id: secret.id, repo_id: repo.id, org_id: 0, name: secret.name, events: secret.events, images: [], note: '' };
}

export function renderPipeline(repo: StandInRepo, pipeline: StandInPipeline) {
  return {
    id: pipeline.id,
    number: pipeline.number,
    status: pipeline.status,
    event: pipeline.event,
    branch: pipeline.branch,
    commit: pipeline.commit,
    ref: pipeline.ref,
    refspec: '',
    message: pipeline.message,
    author: pipeline.author,
    author_email: '',
    author_avatar: '',
    sender: pipeline.author,
    forge_url: `${repo.forgeUrl}/commit/${pipeline.commit}`,
    created: pipeline.created,
    updated: pipeline.finished || pipeline.started,
    started: pipeline.started,
    finished: pipeline.finished,
    timestamp: pipeline.created,
    parent: 0,
    errors: pipeline.errors ?? [],
    changed_files: [],
    variables: {},
    workflows: [],
    deploy_to: '',
    deploy_task: '',
  };
}
