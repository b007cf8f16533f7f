/**
 * @module sandbox/woodpecker/woodpecker-render
 * The stand-in's records in Woodpecker's JSON shapes (swagger definitions Repo, Secret, Pipeline).
 */
import type { StandInPipeline, StandInRepo, StandInSecret, StandInStep } from './woodpecker-state.js';

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
    parent: pipeline.parent,
    errors: pipeline.errors ?? [],
    changed_files: [],
    variables: {},
    workflows: pipeline.steps.length ? [renderWorkflow(pipeline)] : [],
    deploy_to: '',
    deploy_task: '',
  };
}

/**
 * The one workflow of a `.woodpecker.yaml` (server/model/workflow.go, pid 1), named after its file
 * as pipeline/frontend/builder/utils.go SanitizePath does ("woodpecker"), its steps as `children`
 * (server/model/step.go, ppid 1).
 */
function renderWorkflow(pipeline: StandInPipeline) {
  const done = pipeline.status !== 'running' && pipeline.status !== 'pending';
  return {
    id: pipeline.workflowId,
    pipeline_id: pipeline.id,
    pid: 1,
    name: 'woodpecker',
    state: pipeline.status,
    started: pipeline.started,
    ...(done ? { finished: pipeline.finished } : {}),
    platform: 'linux/amd64',
    children: pipeline.steps.map((step) => renderStep(pipeline, step)),
  };
}

function renderStep(pipeline: StandInPipeline, step: StandInStep) {
  return {
    id: step.id,
    uuid: `${pipeline.id}-${step.pid}`,
    pipeline_id: pipeline.id,
    pid: step.pid,
    ppid: 1,
    name: step.name,
    state: step.state,
    ...(step.error ? { error: step.error } : {}),
    exit_code: step.exitCode,
    ...(step.started ? { started: step.started } : {}),
    ...(step.finished ? { finished: step.finished } : {}),
    type: step.type,
  };
}

/**
 * A step's log as GetStepLogs answers it: LogEntry[] (server/model/log.go), `data` being Go []byte,
 * hence a base64 string in JSON; type 0 is stdout.
 */
export function renderLog(step: StandInStep) {
  return step.log.map((text, line) => ({
    id: step.id * 100_000 + line,
    step_id: step.id,
    time: 0,
    line,
    data: Buffer.from(`${text}\n`).toString('base64'),
    type: 0,
  }));
}
