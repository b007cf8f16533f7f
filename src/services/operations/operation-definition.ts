/**
 * @module services/operations/operation-definition
 * What a durable operation is made of: named steps with declared dependencies. Each step must be
 * idempotent (create, or adopt what is already ours), because a crash between its effect and its
 * journal entry makes it run again; what it returns is journaled and handed to later steps and to
 * a resumed run, so external ids are never searched for twice. The same list of steps is the dry
 * run (plan-operation.ts: each step's `skip` and `plan`), the journal's steps and the resume order,
 * so a step added here shows up in all three.
 */
import type { OperationStep } from '../../domain/project.js';
import type { Logger } from '../../ports/logger.port.js';
import type { AppContext } from '../shared/app-context.js';

export type StepOutput = Record<string, unknown>;

export interface StepContext<I> {
  app: AppContext;
  operationId: string;
  target: string;
  input: I;
  logger: Logger;
  /** Outputs of the steps already done, by step name (from this run or a previous one). */
  outputs: Readonly<Record<string, StepOutput>>;
}

/** What a step's plan sees: the run's context before anything ran, plus what the operation's preflight read. */
export interface PlanContext<I> extends StepContext<I> {
  /** The operation's `preflight` result ({} without one), so steps plan without asking a backend again. */
  preflight: Readonly<Record<string, unknown>>;
}

export interface StepDefinition<I> {
  name: string;
  /** Steps that must be done first; steps with no path between them run concurrently. */
  after?: readonly string[];
  /** A reason to skip the step (say, its backend is not configured); null to run it. */
  skip?(ctx: StepContext<I>): string | null;
  /** Does the work, idempotently; returns the external ids and facts it produced. */
  run(ctx: StepContext<I>): Promise<StepOutput | void>;
  /**
   * What `run` would do, read-only, one line per effect (none: nothing to do); a dry run shows it. Without it the plan
   * names the step.
   */
  plan?(ctx: PlanContext<I>): string | readonly string[];
}

export interface OperationDefinition<I, R> {
  kind: string;
  steps: readonly StepDefinition<I>[];
  /**
   * Read-only checks that must pass before anything is changed or reserved (CONFLICT on a name
   * someone else holds); what they read is handed to each step's `plan`.
   */
  preflight?(app: AppContext, input: I): Promise<Record<string, unknown>>;
  /** Builds the operation's result once every step is done or skipped. */
  finish(ctx: StepContext<I>): R | Promise<R>;
  /** Why the operation can no longer be resumed (its target is gone, say); null when it can. */
  stale?(
    app: AppContext,
    operation: { target: string; input: I; steps: readonly OperationStep[] },
  ): Promise<string | null>;
  /** Called when a step failed (the operation is `failed`), e.g. to mark the project. */
  onFailed?(ctx: StepContext<I>, error: unknown): Promise<void>;
  /**
   * Start-up clean-up for this kind, run before interrupted operations are resumed: what a crash
   * (or an older version) can leave without a journal entry to resume. Returns what it cleared.
   */
  startupSweep?(app: AppContext): Promise<string[]>;
}

/** Erased form for the registry of kinds (steps and hooks are methods, so an operation of any input fits). */
export type AnyOperationDefinition = OperationDefinition<unknown, unknown>;

export function defineOperation<I, R>(definition: OperationDefinition<I, R>): OperationDefinition<I, R> {
  // Dependencies may only name earlier steps: the list order is then a valid order and no cycle can exist.
  const seen = new Set<string>();
  for (const step of definition.steps) {
    for (const dep of step.after ?? []) {
      if (!seen.has(dep))
        throw new Error(
          `operation ${definition.kind}: step ${step.name} depends on ${dep}, which is not an earlier step`,
        );
    }
    seen.add(step.name);
  }
  return definition;
}
