/**
 * @module sandbox/woodpecker/simulate-pipeline
 * What the stand-in does instead of running a pipeline: it reads the repository's
 * `.woodpecker.yaml` at the pushed commit, checks its `when`, and for each step does what that
 * step would do, without running anything from the repository: a kaniko step publishes a small
 * image manifest to `<registry>/<repo>:<tags>` through the distribution API; a commands step (the
 * notify step) is interpreted by step-script.ts, whose curl makes its HTTP call with the step's
 * secrets, and a non-zero exit fails the pipeline, as it would in Woodpecker. Anything else fails
 * the pipeline too.
 */
import { parse } from 'yaml';
import type { Logger } from '../../ports/logger.port.js';
import { pushImage } from '../registry/push-image.js';
import type { ForgeClient } from './forge-client.js';
import { performCurl } from './curl-transfer.js';
import { substituteConfig } from './step-command.js';
import { runStepScript } from './step-script.js';
import type { StandInPipeline, StandInRepo } from './woodpecker-state.js';

interface Step {
  name?: string;
  image?: string;
  settings?: Record<string, unknown>;
  environment?: Record<string, unknown>;
  commands?: string[];
}

export interface PipelineDeps {
  forge: ForgeClient;
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
export async function simulatePipeline(deps: PipelineDeps, repo: StandInRepo, pipeline: StandInPipeline): Promise<void> {
  const env = ciEnvironment(repo, pipeline, deps.systemUrl);
  try {
    const text = await deps.forge.readFile(repo.owner, repo.name, '.woodpecker.yaml', pipeline.commit);
    if (text === undefined) throw new Error('no .woodpecker.yaml at this commit');
    const config = parse(text) as { when?: unknown; steps?: Step[] };
    if (!whenMatches(config.when, env)) {
      repo.pipelines.splice(repo.pipelines.indexOf(pipeline), 1); // Woodpecker creates no pipeline then
      return;
    }
    for (const step of config.steps ?? []) await runStep(step, repo, env);
    pipeline.status = 'success';
  } catch (error) {
    pipeline.status = 'failure';
    pipeline.errors = [{ type: 'generic', message: (error as Error).message }];
    deps.logger.warn('woodpecker stand-in: pipeline failed', { repo: `${repo.owner}/${repo.name}`, pipeline: pipeline.number, err: String(error) });
  } finally {
    pipeline.finished = Math.floor(Date.now() / 1000);
  }
}

async function runStep(step: Step, repo: StandInRepo, env: Record<string, string>): Promise<void> {
  if (step.image?.startsWith('woodpeckerci/plugin-kaniko')) {
    const settings = Object.fromEntries(Object.entries(step.settings ?? {}).map(([k, v]) => [k, typeof v === 'string' ? substituteConfig(v, env) : v]));
    const registry = String(settings.registry ?? '');
    const insecure = settings.insecure === true || settings.insecure === 'true';
    for (const tag of String(settings.tags ?? 'latest').split(',').map(t => t.trim()).filter(Boolean)) {
      await pushImage(`${insecure ? 'http' : 'https'}://${registry}`, String(settings.repo), tag, `${repo.owner}/${repo.name}@${env.CI_COMMIT_SHA}`);
    }
    return;
  }
  if (step.commands?.length) {
    const { variables, secrets } = stepEnvironment(step, repo);
    const commands = step.commands.map(command => substituteConfig(command, env));
    const { exitCode, log } = await runStepScript(commands, { ...env, ...variables }, performCurl);
    if (exitCode !== 0) throw new Error(`step ${step.name ?? '?'} exited with code ${exitCode}: ${maskSecrets(log.join('\n'), secrets).slice(-500)}`);
    return;
  }
  throw new Error(`step ${step.name ?? '?'} is neither kaniko nor a curl command; the stand-in does not run it`);
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
  const conditions = (Array.isArray(when) ? when : when ? [when] : [{}]) as Array<{ event?: string | string[]; evaluate?: string }>;
  return conditions.some(cond => {
    const events = cond.event === undefined ? undefined : [cond.event].flat();
    if (events && !events.includes(env.CI_PIPELINE_EVENT!)) return false;
    if (!cond.evaluate) return true;
    const match = /^\s*(\S+)\s*(==|!=)\s*(\S+)\s*$/.exec(cond.evaluate);
    if (!match) throw new Error(`evaluate "${cond.evaluate}" is not simulated`);
    const value = (term: string) => (/^["'].*["']$/.test(term) ? term.slice(1, -1) : (env[term] ?? ''));
    return (value(match[1]!) === value(match[3]!)) === (match[2] === '==');
  });
}
