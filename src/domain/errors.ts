/**
 * @module domain/errors
 * The one error type that crosses layers. Its `message` and `hint` are safe to show an agent:
 * adapters translate vendor failures into it at the boundary, so no token, URL credential or raw
 * upstream body ever reaches a tool result, a resource or a log line through it.
 */

export const ERROR_CODES = [
  'INVALID_INPUT',
  'NOT_FOUND',
  'CONFLICT',
  'PERMISSION_DENIED',
  'PRECONDITION_FAILED',
  'NOT_CONFIGURED',
  'UPSTREAM_UNAVAILABLE',
  'TIMEOUT',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface DomainErrorOptions {
  /** What the agent should do next, one sentence. */
  hint?: string;
  /** Whether the same call may succeed later (UPSTREAM_UNAVAILABLE, TIMEOUT). */
  retryable?: boolean;
  /** How long to wait before retrying, when the upstream said so. */
  retryAfterMs?: number;
  /** Internal cause, logged but never shown. */
  cause?: unknown;
  /** Extra safe facts for structured output (field names, ids). Never secrets. */
  details?: Record<string, unknown>;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DomainError';
    this.code = code;
    this.hint = options.hint;
    this.retryable = options.retryable ?? (code === 'UPSTREAM_UNAVAILABLE' || code === 'TIMEOUT');
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }

  /** The single line an agent reads: `CODE: message. hint` */
  toText(): string {
    const message = this.message.replace(/\.+$/, '');
    return this.hint ? `${this.code}: ${message}. ${this.hint}` : `${this.code}: ${message}.`;
  }
}

export const isDomainError = (value: unknown): value is DomainError => value instanceof DomainError;

export const invalidInput = (message: string, hint?: string, details?: Record<string, unknown>) =>
  new DomainError('INVALID_INPUT', message, { hint: hint ?? 'Fix the input and call again', details });

export const notFound = (message: string, hint?: string) => new DomainError('NOT_FOUND', message, { hint });

export const conflict = (message: string, hint?: string, details?: Record<string, unknown>) =>
  new DomainError('CONFLICT', message, { hint, details });

export const preconditionFailed = (message: string, hint?: string) =>
  new DomainError('PRECONDITION_FAILED', message, { hint });

export const permissionDenied = (message: string, hint?: string) =>
  new DomainError('PERMISSION_DENIED', message, { hint });

export const upstreamUnavailable = (
  backend: string,
  options: { retryAfterMs?: number; cause?: unknown; message?: string } = {},
) =>
  new DomainError('UPSTREAM_UNAVAILABLE', options.message ?? `${backend} is unavailable`, {
    hint: options.retryAfterMs
      ? `Retry in ${Math.ceil(options.retryAfterMs / 1000)} s`
      : 'Retry shortly; if it persists, run `threesix-mcp doctor`',
    retryable: true,
    retryAfterMs: options.retryAfterMs,
    cause: options.cause,
  });

export const timeout = (what: string, ms: number, cause?: unknown) =>
  new DomainError('TIMEOUT', `${what} did not answer within ${ms} ms`, {
    hint: 'Retry; the operation is safe to repeat',
    retryable: true,
    cause,
  });

export const notConfigured = (backend: string, variables: readonly string[]) =>
  new DomainError('NOT_CONFIGURED', `the ${backend} backend is not configured`, {
    hint: `Set ${variables.join(', ')} (or start the server with --sandbox)`,
    details: { backend, variables: [...variables] },
  });

/** Asserts a destructive call names its target exactly; nothing has happened yet when it throws. */
export function requireConfirm(target: string, confirm: string): void {
  if (confirm !== target) {
    throw invalidInput(
      `confirm must equal "${target}" exactly`,
      `Call again with confirm: "${target}" if you really mean to do this`,
    );
  }
}
