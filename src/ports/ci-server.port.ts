/**
 * @module ports/ci-server
 * The CI server (Woodpecker) in domain terms: activation of a repository by its git host id,
 * repository secrets (write-only: values are never read back), pipelines.
 */
import type { BackendProbe } from './backend-probe.port.js';

export interface CiRepo {
  /** The CI server's own id. */
  id: number;
  /** The git host's repository id. */
  forgeRemoteId: number;
  fullName: string;
  active: boolean;
  /** Web URL of the repository in the CI UI. */
  webUrl: string;
}

export interface CiPipeline {
  number: number;
  /** Woodpecker's StatusValue: pending, running, success, failure, killed, error, ... */
  status: string;
  event: string;
  branch: string;
  commit: string;
  createdAt: string;
  /** ISO times; null until the pipeline started or finished. */
  startedAt: string | null;
  finishedAt: string | null;
  webUrl: string;
}

/** One step of a pipeline (all workflows flattened, in run order). */
export interface CiStep {
  /** The CI server's step id, which its log route takes. */
  id: number;
  name: string;
  /** success, failure, skipped, running, pending, killed, error, ... */
  state: string;
  exitCode: number;
  /** Why the step could not run, when the CI server says. */
  error: string | null;
}

export interface CiPipelineDetail extends CiPipeline {
  steps: CiStep[];
  /** Pipeline-level errors (bad config, ...), as the CI server words them. */
  errors: string[];
}

/** One log line of a step, decoded; `line` counts from 0. */
export interface CiLogLine {
  line: number;
  text: string;
}

export interface CiServer extends BackendProbe {
  /** Activates by git host id; an already active repository is looked up and returned (409 is success). */
  activate(forgeRemoteId: number, fullName: string): Promise<CiRepo>;
  /** Undefined when the CI server does not know the repository. */
  lookup(fullName: string): Promise<CiRepo | undefined>;
  /** Every repository the CI server knows, for reconcile. */
  listRepos(): Promise<CiRepo[]>;
  /**
   * Creates or updates a repository secret available to the given events (one or more of
   * CI_SECRET_EVENTS); INVALID_INPUT for any other event, a bad name or an empty value.
   */
  upsertSecret(repoId: number, secret: { name: string; value: string; events: string[] }): Promise<void>;
  /** Deactivates and removes the repository (`?remove=true`); NOT_FOUND when unknown. */
  deactivate(repoId: number): Promise<void>;
  /** Re-creates the CI server's webhook on the git host. */
  repairHook(repoId: number): Promise<void>;
  /** Newest first. */
  listPipelines(repoId: number, options?: { page?: number; perPage?: number }): Promise<CiPipeline[]>;
  /** One pipeline with its steps; NOT_FOUND for an unknown repository or number. */
  getPipeline(repoId: number, number: number): Promise<CiPipelineDetail>;
  /** A step's log lines, oldest first; NOT_FOUND for an unknown pipeline or step. */
  readStepLog(repoId: number, number: number, stepId: number): Promise<CiLogLine[]>;
  /**
   * Starts a pipeline for the head of `branch` (event `manual`). Undefined when the CI server made
   * none (no workflow of the repository's config runs for it). Not idempotent: each call runs one.
   */
  runPipeline(repoId: number, branch: string): Promise<CiPipeline | undefined>;
  /** Runs pipeline `number` again as a new pipeline (same commit and event) and returns the new one. */
  restartPipeline(repoId: number, number: number): Promise<CiPipeline>;
}

/** The pipeline events a CI secret may be exposed to (Woodpecker's event list). */
export const CI_SECRET_EVENTS: ReadonlySet<string> = new Set([
  'push',
  'pull_request',
  'pull_request_closed',
  'pull_request_metadata',
  'tag',
  'release',
  'deployment',
  'cron',
  'manual',
]);
