/**
 * @module services/operations/operation-view
 * An operation as tools and threesix://operations/{id} show it: its steps with status, outputs
 * (external ids, never secrets: steps return none) and errors.
 */
import { notFound } from '../../domain/errors.js';
import type { Operation, OperationStep } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';

export interface OperationView {
  id: string;
  kind: string;
  target: string;
  status: Operation['status'];
  error: string | null;
  result: Record<string, unknown> | null;
  steps: Array<{
    name: string;
    status: OperationStep['status'];
    output: Record<string, unknown> | null;
    error: string | null;
    startedAt: string | null;
    finishedAt: string | null;
  }>;
  createdAt: string;
  updatedAt: string;
}

export function toOperationView(op: Operation): OperationView {
  return {
    id: op.id,
    kind: op.kind,
    target: op.target,
    status: op.status,
    error: op.error,
    result: op.result,
    steps: op.steps.map((s) => ({ ...s })),
    createdAt: op.createdAt,
    updatedAt: op.updatedAt,
  };
}

export async function getOperation(app: AppContext, id: string): Promise<OperationView> {
  const op = await app.store.operations.get(id);
  if (!op)
    throw notFound(
      `operation ${id} does not exist`,
      'Operation ids come from create_project, delete_project and their failures',
    );
  return toOperationView(op);
}
