/**
 * @module services/operations/run-operation
 * Runs an operation's steps against the journal. Every step is marked `running` before it starts
 * and `done` (with the ids it produced) or `failed` (with the error) after, so a crash leaves the
 * journal pointing at the step to redo. A resumed run skips what is done and reuses its outputs.
 * Steps whose dependencies are done start together; a failure stops only the steps after it.
 */
import { randomUUID } from 'node:crypto';
import { isDomainError } from '../../domain/errors.js';
import type { Operation } from '../../domain/project.js';
import type { NewProject } from '../../ports/state-store.port.js';
import type { AppContext } from '../shared/app-context.js';
import type { OperationDefinition, StepContext, StepDefinition, StepOutput } from './operation-definition.js';
import { holdLease } from './operation-lease.js';

type StepOutcome = 'ok' | 'failed' | 'blocked';

/**
 * Journals a new operation with all its steps pending (and, with `reserve`, inserts that project row in the same
 * transaction).
 */
export async function startOperation<I extends Record<string, unknown>>(
  app: AppContext,
  definition: OperationDefinition<I, unknown>,
  target: string,
  input: I,
  options: { reserve?: NewProject } = {},
): Promise<Operation> {
  return app.store.operations.start(
    { id: randomUUID(), kind: definition.kind, target, input, steps: definition.steps.map((s) => s.name) },
    options,
  );
}

export interface OperationRun {
  /** The journal's final state of the operation. */
  operation: Operation;
  /** The first step that failed and why, when the operation failed. */
  failure?: { step: string; error: unknown };
}

export interface RunHooks {
  /**
   * Told as each step starts (`started` counts steps begun, done ones of a resumed run included), so a tool can send
   * MCP progress.
   */
  onStep?(step: string, started: number, total: number): Promise<void> | void;
}

/** Runs (or resumes) `operation` to success or to its first failed step. */
export async function executeOperation<I>(
  app: AppContext,
  definition: OperationDefinition<I, unknown>,
  operation: Operation,
  hooks: RunHooks = {},
): Promise<OperationRun> {
  const release = await holdLease(app, operation);
  try {
    return await runSteps(app, definition, operation, hooks);
  } finally {
    await release();
  }
}

async function runSteps<I>(
  app: AppContext,
  definition: OperationDefinition<I, unknown>,
  operation: Operation,
  hooks: RunHooks,
): Promise<OperationRun> {
  const journal = app.store.operations;
  const logger = app.logger.child({ operation: operation.id, kind: operation.kind, target: operation.target });
  const outputs: Record<string, StepOutput> = {};
  for (const step of operation.steps)
    if (step.status === 'done' || step.status === 'skipped') outputs[step.name] = step.output ?? {};
  const stored = new Map(operation.steps.map((s) => [s.name, s.status]));
  const ctx: StepContext<I> = {
    app,
    operationId: operation.id,
    target: operation.target,
    input: operation.input as I,
    logger,
    outputs,
  };
  const failures: Array<{ step: string; error: unknown }> = [];
  const outcomes = new Map<string, Promise<StepOutcome>>();
  let started = operation.steps.filter((s) => s.status === 'done' || s.status === 'skipped').length;

  const runStep = async (step: StepDefinition<I>): Promise<StepOutcome> => {
    const deps = await Promise.all((step.after ?? []).map((dep) => outcomes.get(dep)!));
    if (deps.some((d) => d !== 'ok')) return 'blocked';
    const status = stored.get(step.name);
    if (status === 'done' || status === 'skipped') return 'ok';
    const reason = step.skip?.(ctx) ?? null;
    if (reason !== null) {
      outputs[step.name] = { skipped: reason };
      await journal.markStep(operation.id, step.name, 'skipped', { output: outputs[step.name], error: null });
      return 'ok';
    }
    await journal.markStep(operation.id, step.name, 'running', { error: null });
    // Progress is a courtesy to the caller: a client gone away never fails the step.
    await Promise.resolve(hooks.onStep?.(step.name, ++started, definition.steps.length)).catch(() => undefined);
    try {
      const output = (await step.run(ctx)) ?? {};
      outputs[step.name] = output;
      await journal.markStep(operation.id, step.name, 'done', { output });
      return 'ok';
    } catch (error) {
      failures.push({ step: step.name, error });
      logger.warn('operation step failed', {
        step: step.name,
        code: isDomainError(error) ? error.code : 'INTERNAL',
        err: error,
      });
      await journal.markStep(operation.id, step.name, 'failed', { error: stepErrorText(step.name, error) });
      return 'failed';
    }
  };
  // Steps only depend on earlier ones, so every dependency's promise exists when a step is created.
  for (const step of definition.steps) outcomes.set(step.name, runStep(step));
  await Promise.all(outcomes.values());

  const first = failures[0];
  if (first) {
    await definition
      .onFailed?.(ctx, first.error)
      .catch((error) => logger.error('onFailed hook failed', { err: error }));
    return {
      operation: await journal.finish(operation.id, 'failed', { error: stepErrorText(first.step, first.error) }),
      failure: first,
    };
  }
  const result = (await definition.finish(ctx)) as Record<string, unknown>;
  return { operation: await journal.finish(operation.id, 'succeeded', { result, error: null }) };
}

/** The text stored in the journal and shown to agents: a DomainError's safe text, never a raw message. */
export function stepErrorText(step: string, error: unknown): string {
  const text =
    isDomainError(error) && error.code !== 'INTERNAL'
      ? error.toText()
      : 'INTERNAL: unexpected failure (see the server log)';
  return `step ${step}: ${text}`;
}
