/**
 * @module services/builds/build-logs
 * The log of one step of a build, from the CI server: by default the newest build, and in it the
 * first failed step, else the last step that ran. Bounded (tail ≤ 2000 lines, ≤ 64 KiB) and with
 * secrets blanked: threesix's own credentials, deploy tokens and Authorization header values. The
 * text is the build's output (the repository's Dockerfile and scripts), so callers present it as
 * untrusted data.
 */
import { SECRET_VARIABLES } from '../../config.js';
import { invalidInput, notFound } from '../../domain/errors.js';
import { redactSecrets } from '../../domain/redact-secrets.js';
import { printable } from '../../domain/project-name.js';
import type { CiPipelineDetail, CiStep } from '../../ports/ci-server.port.js';
import type { AppContext } from '../shared/app-context.js';
import { BUILD_NUMBER_MAX, ciProject, FAILING_STATES } from './ci-project.js';

export const BUILD_LOG_MAX_TAIL = 2000;
export const BUILD_LOG_MAX_BYTES = 64 * 1024;

export interface BuildLogsInput {
  project: string;
  build?: number;
  step?: string;
  tail?: number;
}

export interface BuildLogs {
  project: string;
  build: number;
  status: string;
  commit: string;
  step: { name: string; state: string; exitCode: number };
  steps: Array<{ name: string; state: string }>;
  text: string;
  lines: number;
  truncated: boolean;
}

export async function buildLogs(app: AppContext, input: BuildLogsInput): Promise<BuildLogs> {
  const tail = input.tail ?? 200;
  if (!Number.isInteger(tail) || tail < 1 || tail > BUILD_LOG_MAX_TAIL)
    throw invalidInput(`tail must be an integer from 1 to ${BUILD_LOG_MAX_TAIL}`);
  if (
    input.build !== undefined &&
    (!Number.isInteger(input.build) || input.build < 1 || input.build > BUILD_NUMBER_MAX)
  )
    throw invalidInput('build must be a positive build number (see list_builds)');
  if (input.step !== undefined && !/^[\x21-\x7e][\x20-\x7e]{0,99}$/.test(input.step))
    throw invalidInput('step must be a step name such as "build-and-push"');
  const { project, ci, repoId } = await ciProject(app, input.project);
  const number = input.build ?? (await ci.listPipelines(repoId, { perPage: 1 }))[0]?.number;
  if (number === undefined)
    throw notFound(`project ${project.name} has no builds yet`, 'Push a commit to its default branch, or call rebuild');
  const pipeline = await ci.getPipeline(repoId, number);
  const step = chooseStep(pipeline, input.step);
  const log = await ci.readStepLog(repoId, number, step.id);
  const kept = log.slice(-tail).map((l) => l.text);
  const { text, truncated } = bounded(redact(app, kept.join('\n')), log.length > tail);
  return {
    project: project.name,
    build: number,
    status: pipeline.status,
    commit: pipeline.commit,
    step: { name: step.name, state: step.state, exitCode: step.exitCode },
    steps: pipeline.steps.map((s) => ({ name: s.name, state: s.state })),
    text,
    lines: text === '' ? 0 : text.split('\n').length,
    truncated,
  };
}

function chooseStep(pipeline: CiPipelineDetail, name: string | undefined): CiStep {
  const { steps, number } = pipeline;
  if (name !== undefined) {
    const named = steps.find((s) => s.name === name);
    if (!named)
      throw notFound(
        `build ${number} has no step "${name}"`,
        `Its steps: ${steps.map((s) => s.name).join(', ') || 'none yet'}`,
      );
    return named;
  }
  const chosen =
    steps.find((s) => FAILING_STATES.has(s.state)) ??
    steps.filter((s) => s.state !== 'skipped' && s.state !== 'pending').at(-1) ??
    steps.at(-1);
  if (!chosen && ['pending', 'running'].includes(pipeline.status))
    throw notFound(`build ${number} has no steps yet`, 'It is still starting; try again in a few seconds');
  // A build that ended before any step ran (no or broken .woodpecker.yaml): CI's own words say why.
  if (!chosen)
    throw notFound(
      `build ${number} ran no steps (${pipeline.status})${pipeline.errors.length ? `: ${printable(pipeline.errors.join('; '), 300)}` : ''}`,
      'Check .woodpecker.yaml at that commit',
    );
  return chosen;
}

/** Secrets threesix knows, deploy tokens (t36_…) and credentials in Authorization headers. */
function redact(app: AppContext, text: string): string {
  const config = app.config as unknown as Record<string, unknown>;
  const known = [...SECRET_VARIABLES].map((key) => config[key]).filter((v): v is string => typeof v === 'string');
  return redactSecrets(text, known)
    .replace(/t36_[A-Za-z0-9_-]{16,}/g, '[REDACTED]')
    .replace(/(authorization:\s*(?:bearer|basic|token)\s+)\S+/gi, '$1[REDACTED]');
}

/** The newest 64 KiB, starting at a whole line. */
function bounded(text: string, cut: boolean): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text);
  if (bytes.length <= BUILD_LOG_MAX_BYTES) return { text, truncated: cut };
  const kept = bytes.subarray(bytes.length - BUILD_LOG_MAX_BYTES).toString();
  return { text: kept.includes('\n') ? kept.slice(kept.indexOf('\n') + 1) : kept, truncated: true };
}
