/**
 * @module services/operations/operation-kinds
 * Every kind of durable operation, so a journaled one can be resumed by kind alone (at start-up
 * and through retry_operation).
 */
import { createProjectOperation } from '../projects/create-project.operation.js';
import { deleteProjectOperation } from '../projects/delete-project.operation.js';
import { repairProjectOperation } from '../reconcile/repair-project.operation.js';
import type { AnyOperationDefinition } from './operation-definition.js';

export const operationKinds: ReadonlyMap<string, AnyOperationDefinition> = new Map(
  [createProjectOperation, deleteProjectOperation, repairProjectOperation].map(def => [def.kind, def as AnyOperationDefinition]),
);
