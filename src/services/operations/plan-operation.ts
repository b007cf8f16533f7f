/**
 * @module services/operations/plan-operation
 * An operation's dry run, generated from its steps: the preflight checks run (and may refuse), then
 * every step says what it would do, or why it would be skipped. Nothing is journaled or changed.
 * Like external-dns deriving its plan from one registry of changes, there is no second, hand-kept
 * description of an operation to drift from what it really does.
 */
import type { AppContext } from '../shared/app-context.js';
import type { OperationDefinition, PlanContext } from './operation-definition.js';

export interface PlannedStep {
  step: string;
  action: string;
}

export interface PlannedEffect extends PlannedStep {
  /** The step would be skipped; `action` then says why. */
  skipped: boolean;
}

/** The plan of running `definition` on `target` with `input`: one entry per effect, in step order. */
export async function planOperation<I>(
  app: AppContext,
  definition: OperationDefinition<I, unknown>,
  target: string,
  input: I,
): Promise<PlannedEffect[]> {
  const preflight = (await definition.preflight?.(app, input)) ?? {};
  const ctx: PlanContext<I> = { app, operationId: '', target, input, logger: app.logger, outputs: {}, preflight };
  return definition.steps.flatMap((step): PlannedEffect[] => {
    const skipped = step.skip?.(ctx) ?? null;
    if (skipped !== null) return [{ step: step.name, action: `skip: ${skipped}`, skipped: true }];
    const planned = step.plan ? step.plan(ctx) : `run step ${step.name}`;
    return (typeof planned === 'string' ? [planned] : planned).map((action) => ({
      step: step.name,
      action,
      skipped: false,
    }));
  });
}
