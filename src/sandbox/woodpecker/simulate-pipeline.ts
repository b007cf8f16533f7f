/**
 * @module sandbox/woodpecker/simulate-pipeline
 * What the stand-in does instead of running a pipeline: it reads the repository's
 * `.woodpecker.yaml` at the pushed commit, checks its `when`, and runs its one workflow as steps
 * with states, exit codes and logs (server/model/step.go), the way Woodpecker's agent does:
 *   - `clone` first (real git into a temporary workspace, workspace-clone.ts);
 *   - a kaniko step checks the Dockerfile in that workspace as kaniko would (kaniko-build.ts) and,
 *     if it builds, publishes a small image manifest to `<registry>/<repo>:<tags>` through the
 *     distribution API;
 *   - a commands step (notify, failure report) is interpreted by step-script.ts, whose curl makes
 *     its HTTP call with the step's secrets; a non-zero exit fails the step;
 *   - anything else fails its step, and is never run.
 * A step runs when its `when.status` admits the workflow's state so far: by default only while
 * everything succeeded, a `status: [failure]` step only after a failure
 * (pipeline/frontend/yaml/constraint/constraint.go IncludesStatusSuccess/IncludesStatusFailure);
 * the others end `skipped`. Nothing from a repository is ever executed.
 */
import { parse } from 'yaml';
import type { Logger } from '../../ports/logger.port.js';
import { pushImage } from '../registry/push-image.js';
import type { ForgeClient } from './forge-client.js';
import { performCurl } from './curl-transfer.js';
import { checkKanikoBuild, pluginSetting } from './kaniko-build.js';
import { substituteConfig } from './step-command.js';
import { runStepScript } from './step-script.js';
import type { Workspace } from './workspace-clone.js';
import type { StandInPipeline, StandInRepo, StandInStep, WoodpeckerState } from './woodpecker-state.js';

interface Step {
  name?: string;
  image?: string;
  settings?: Record<string, unknown>;
  environment?: Record<string, unknown>;
  commands?: string[];
  when?: unknown;
}

export interface PipelineDeps {
  forge: ForgeClient;
  state: WoodpeckerState;
  /** Woodpecker's own URL (CI_SYSTEM_URL). */
  systemUrl: string;
  logger: Logger;
}

export function ciEnvironment(repo: StandInRepo, pipeline: StandInPipeline, systemUrl: string): Record<string, string> {
  return {
    CI: 'woodpecker',
    CI_REPO: `${repo.owner}/${repo.name}`,
    CI_REPO_OWNER: repo.owner,
    CI_REPO_NAME: repo.name,
    CI_REPO_REMOTE_ID: String(repo.forgeRemoteId),
    CI_REPO_URL: repo.forgeUrl,
    CI_REPO_CLONE_URL: repo.cloneUrl,
    CI_REPO_DEFAULT_BRANCH: repo.defaultBranch,
    CI_COMMIT_SHA: pipeline.commit,
    CI_COMMIT_REF: pipeline.ref,
    CI_COMMIT_BRANCH: pipeline.branch,
    CI_COMMIT_MESSAGE: pipeline.message,
    CI_COMMIT_AUTHOR: pipeline.author,
    CI_PIPELINE_NUMBER: String(pipeline.number),
    CI_PIPELINE_EVENT: pipeline.event,
    CI_PIPELINE_URL: `${systemUrl}/repos/${repo.id}/pipeline/${pipeline.number}`,
    CI_SYSTEM_URL: systemUrl,
    CI_FORGE_TYPE: 'gitea',
  };
}

/** Runs the simulation; the pipeline record ends `success`, `failure` or `error` (never throws). */
export async function simulatePipeline(
  deps: PipelineDeps,
  repo: StandInRepo,
  pipeline: StandInPipeline,
): Promise<void> {
  const env = ciEnvironment(repo, pipeline, deps.systemUrl);
  let workspace: Workspace | undefined;
  try {
    const text = await deps.forge.readFile(repo.owner, repo.name, '.woodpecker.yaml', pipeline.commit);
    // server/pipeline/create.go: no config at the commit deletes the new pipeline (ErrConfigNotFound →
    // ErrFiltered; the API's 204); a restart keeps its pipeline, as an error (restart.go: "pipeline
    // definition not found").
    if (text === undefined && pipeline.parent === 0) return dropPipeline(repo, pipeline);
    if (text === undefined) throw new ConfigError('pipeline definition not found');
    let config: { when?: unknown; steps?: Step[] };
    try {
      config = parse(text) as typeof config;
    } catch (error) {
      throw new ConfigError((error as Error).message); // a parse error is the pipeline's `error` status
    }
    if (!whenMatches(config.when, env)) return dropPipeline(repo, pipeline); // Woodpecker creates no pipeline then
    const clone = deps.state.addStep(pipeline, 'clone', 'clone');
    const planned = (config.steps ?? []).map((step, i) => ({
      step,
      record: deps.state.addStep(pipeline, step.name ?? `step-${i}`, step.commands ? 'commands' : 'plugin'),
    }));
    await recordStep(clone, async (log) => {
      workspace = await deps.forge.checkout(repo.cloneUrl, repo.forgeUrl, pipeline.commit, log);
      return 0;
    });
    let failing = clone.state === 'failure';
    for (const { step, record } of planned) {
      if (!statusAdmits(step.when, failing ? 'failure' : 'success')) {
        record.state = 'skipped';
        continue;
      }
      const stepEnv = { ...env, CI_PIPELINE_STATUS: failing ? 'failure' : 'success', CI_STEP_NAME: record.name };
      await recordStep(record, (log) => runStep(step, repo, stepEnv, workspace!, log));
      if (record.state === 'failure') failing = true;
    }
    pipeline.status = failing ? 'failure' : 'success';
    if (failing)
      deps.logger.warn('woodpecker stand-in: pipeline failed', {
        repo: `${repo.owner}/${repo.name}`,
        pipeline: pipeline.number,
        steps: pipeline.steps.filter((s) => s.state === 'failure').map((s) => s.name),
      });
  } catch (error) {
    // UpdateToStatusError (server/pipeline/pipeline_status.go) for a config Woodpecker cannot use; any other
    // fault of the simulation itself fails the pipeline.
    pipeline.status = error instanceof ConfigError ? 'error' : 'failure';
    pipeline.errors = [{ type: 'generic', message: (error as Error).message }];
    deps.logger.warn('woodpecker stand-in: pipeline failed', {
      repo: `${repo.owner}/${repo.name}`,
      pipeline: pipeline.number,
      err: String(error),
    });
  } finally {
    workspace?.remove();
    for (const step of pipeline.steps) if (step.state === 'pending') step.state = 'skipped';
    pipeline.finished = Math.floor(Date.now() / 1000);
  }
}

/** A config Woodpecker cannot use: the pipeline ends `error`. */
class ConfigError extends Error {}

function dropPipeline(repo: StandInRepo, pipeline: StandInPipeline): void {
  repo.pipelines.splice(repo.pipelines.indexOf(pipeline), 1);
}

/** Runs one step with its record kept current (running, then success or failure with the exit code). */
async function recordStep(record: StandInStep, run: (log: string[]) => Promise<number>): Promise<void> {
  record.state = 'running';
  record.started = Math.floor(Date.now() / 1000);
  try {
    record.exitCode = await run(record.log);
  } catch (error) {
    // A step the stand-in cannot simulate, or a clone that failed: Woodpecker shows such a step
    // failed with its error text (Step.error) and exit code 1.
    record.exitCode = 1;
    record.error = (error as Error).message;
    record.log.push(record.error);
  }
  record.state = record.exitCode === 0 ? 'success' : 'failure';
  record.finished = Math.floor(Date.now() / 1000);
}

async function runStep(
  step: Step,
  repo: StandInRepo,
  env: Record<string, string>,
  workspace: Workspace,
  log: string[],
): Promise<number> {
  if (step.image?.startsWith('woodpeckerci/plugin-kaniko')) {
    const settings = Object.fromEntries(
      Object.entries(step.settings ?? {}).map(([k, v]) => [k, typeof v === 'string' ? substituteConfig(v, env) : v]),
    );
    const verdict = checkKanikoBuild(workspace, settings);
    log.push(...verdict.log);
    if (verdict.exitCode !== 0) return verdict.exitCode;
    const registry = pluginSetting(settings.registry, '');
    const insecure = settings.insecure === true || settings.insecure === 'true';
    for (const tag of pluginSetting(settings.tags, 'latest')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean)) {
      const destination = `${registry}/${String(settings.repo)}:${tag}`;
      // kaniko pkg/executor/push.go DoPush: "Pushing image to <ref>", then "Pushed <repository>@<digest>".
      log.push(`INFO[0001] Pushing image to ${destination}`);
      const digest = await pushImage(
        `${insecure ? 'http' : 'https'}://${registry}`,
        String(settings.repo),
        tag,
        `${repo.owner}/${repo.name}@${env.CI_COMMIT_SHA}`,
      );
      log.push(`INFO[0001] Pushed ${registry}/${String(settings.repo)}@${digest}`);
    }
    return 0;
  }
  if (step.commands?.length) {
    const { variables, secrets } = stepEnvironment(step, repo);
    const commands = step.commands.map((command) => substituteConfig(command, env));
    const result = await runStepScript(commands, { ...env, ...variables }, performCurl);
    log.push(...result.log.map((line) => maskSecrets(line, secrets)));
    return result.exitCode;
  }
  throw new Error(`step ${step.name ?? '?'} is neither kaniko nor a curl command; the stand-in does not run it`);
}

/**
 * Whether a step's `when` lets it run in a workflow whose state so far is `status`: with no
 * `status` a step runs only on success; `failure` must be listed to run after a failure.
 */
function statusAdmits(when: unknown, status: 'success' | 'failure'): boolean {
  const conditions = (Array.isArray(when) ? when : when ? [when] : []) as Array<{ status?: string | string[] }>;
  if (conditions.length === 0) return status === 'success';
  return conditions.some((cond) => {
    const listed = cond.status === undefined ? [] : [cond.status].flat();
    return status === 'success' ? listed.length === 0 || listed.includes('success') : listed.includes('failure');
  });
}

/** Woodpecker masks secret values in step logs (pipeline/shared/replace_secrets.go). */
function maskSecrets(text: string, secrets: string[]): string {
  return secrets.filter(Boolean).reduce((out, value) => out.split(value).join('********'), text);
}

/** The step's `environment:`, secrets resolved (and listed, to be masked). */
function stepEnvironment(step: Step, repo: StandInRepo): { variables: Record<string, string>; secrets: string[] } {
  const variables: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(step.environment ?? {})) {
    const secretName = (value as { from_secret?: string } | null)?.from_secret;
    if (secretName === undefined) variables[name] = String(value);
    else {
      const secret = repo.secrets.get(secretName);
      if (!secret || !secret.events.includes('push')) throw new Error(`secret "${secretName}" not found`);
      variables[name] = secret.value;
      secrets.push(secret.value);
    }
  }
  return { variables, secrets };
}

/** `when: [{event, evaluate}]`: the event must match and `A == B` (CI variable names or quoted strings) hold. */
function whenMatches(when: unknown, env: Record<string, string>): boolean {
  const conditions = (Array.isArray(when) ? when : when ? [when] : [{}]) as Array<{
    event?: string | string[];
    evaluate?: string;
  }>;
  return conditions.some((cond) => {
    const events = cond.event === undefined ? undefined : [cond.event].flat();
    if (events && !events.includes(env.CI_PIPELINE_EVENT!)) return false;
    if (!cond.evaluate) return true;
    const match = /^\s*(\S+)\s*(==|!=)\s*(\S+)\s*$/.exec(cond.evaluate);
    if (!match) throw new Error(`evaluate "${cond.evaluate}" is not simulated`);
    const value = (term: string) => (/^["'].*["']$/.test(term) ? term.slice(1, -1) : (env[term] ?? ''));
    return (value(match[1]!) === value(match[3]!)) === (match[2] === '==');
  });
}
