/**
 * @module main/operation-kinds
 * Every kind of durable operation, so a journaled one can be resumed by kind alone (at start-up
 * and through retry_operation). compose.ts hands it to the engine as app.operationKinds.
 */
import { createProjectOperation } from '../services/projects/create-project.operation.js';
import { deleteProjectOperation } from '../services/projects/delete-project.operation.js';
import { repairProjectOperation } from '../services/reconcile/repair-project.operation.js';
import type { AnyOperationDefinition } from '../services/operations/operation-definition.js';

export const operationKinds: ReadonlyMap<string, AnyOperationDefinition> = new Map(
  [createProjectOperation, deleteProjectOperation, repairProjectOperation].map((def) => [
    def.kind,
    def as AnyOperationDefinition,
  ]),
);
