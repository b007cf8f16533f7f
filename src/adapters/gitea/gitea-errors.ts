/**
 * @module adapters/gitea/gitea-errors
 * Turns what gitea-js throws (the failed Response, or a fetch/timeout error) into a DomainError.
 * Messages are ours: Gitea's body is never copied, because it can echo input or internals.
 */
import {
  DomainError,
  conflict,
  invalidInput,
  isDomainError,
  notFound,
  permissionDenied,
  upstreamUnavailable,
} from '../../domain/errors.js';
import { retryAfterMs } from './gitea-fetch.js';

export interface ErrorContext {
  /** What was attempted, e.g. "create repository threesix/app". */
  what: string;
  /** Safe wording for a 422, which Gitea uses for validation failures of this call. */
  invalid?: string;
  /** Safe wording for a 404 when the default ("not found") would mislead. */
  missing?: string;
}

export const SCOPE_HINT =
  'Check GITEA_TOKEN: it needs scopes write:repository and write:organization, and its user must own the organization';

export function translateGiteaError(error: unknown, context: ErrorContext): DomainError {
  if (isDomainError(error)) return error;
  const status = statusOf(error);
  if (status === undefined)
    return upstreamUnavailable('Gitea', { cause: error, message: `Gitea could not be reached to ${context.what}` });
  if (status === 404)
    return notFound(context.missing ?? `${context.what}: not found`, 'Check the name; list_projects shows what exists');
  if (status === 409)
    return conflict(`${context.what}: it already exists`, 'Choose another name or use the existing one');
  if (status === 422 || status === 400)
    return invalidInput(`${context.what}: ${context.invalid ?? 'Gitea rejected the input'}`);
  if (status === 401) return permissionDenied(`${context.what}: Gitea rejected the token`, SCOPE_HINT);
  if (status === 403) return permissionDenied(`${context.what}: the token is not allowed to do this`, SCOPE_HINT);
  if (status === 423)
    return new DomainError('PRECONDITION_FAILED', `${context.what}: the repository is locked or archived`);
  if (status === 429 || status >= 500) {
    const headers = (error as { headers?: Headers }).headers;
    return upstreamUnavailable('Gitea', {
      retryAfterMs: retryAfterMs(headers?.get?.('retry-after') ?? null),
      message: `Gitea is unavailable (HTTP ${status}) to ${context.what}`,
    });
  }
  return new DomainError('INTERNAL', `${context.what}: unexpected Gitea answer (HTTP ${status})`);
}

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** Runs one gitea-js call, translating any failure. */
export async function giteaCall<T>(context: ErrorContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw translateGiteaError(error, context);
  }
}
