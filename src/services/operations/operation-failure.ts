/**
 * @module services/operations/operation-failure
 * How a failed operation reaches the agent: the failing step's own error code (so "retryable"
 * still means something), the step's name, and the call that resumes it.
 */
import { DomainError, isDomainError } from '../../domain/errors.js';
import type { OperationRun } from './run-operation.js';

export function operationFailure(run: OperationRun, what: string): DomainError {
  const { step, error } = run.failure!;
  const cause = isDomainError(error) && error.code !== 'INTERNAL' ? error : undefined;
  return new DomainError(
    cause?.code ?? 'UPSTREAM_UNAVAILABLE',
    `${what} stopped at step ${step}: ${(cause?.message ?? 'unexpected failure (see the server log)').replace(/\.+$/, '')}`,
    {
      hint:
        `${cause?.hint ? `${cause.hint.replace(/\.+$/, '')}; then c` : 'C'}all retry_operation with id "${run.operation.id}" ` +
        '(or repeat the call) to resume from that step; nothing done so far is lost or duplicated',
      retryable: cause?.retryable ?? true,
      retryAfterMs: cause?.retryAfterMs,
      cause: error,
      details: { operationId: run.operation.id, step },
    },
  );
}
