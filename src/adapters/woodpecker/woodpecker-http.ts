/**
 * @module adapters/woodpecker/woodpecker-http
 * One JSON request to Woodpecker's API: Bearer token, a deadline per attempt, retries for
 * idempotent methods only (GET, PUT, DELETE) on network failures, 429 and 502-504, and every
 * failure translated to a DomainError. Woodpecker's error bodies are plain text that can echo
 * input, so they are never copied into a message.
 */
import { DomainError, conflict, invalidInput, notFound, permissionDenied, timeout, upstreamUnavailable } from '../../domain/errors.js';

export interface WoodpeckerHttpOptions {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  retries?: number;
  fetch?: typeof fetch;
}

export interface WoodpeckerRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** What was attempted, for the error message, e.g. "activate threesix/app". */
  what: string;
}

export const TOKEN_HINT = 'Check WOODPECKER_TOKEN: it must be a personal access token of a user who is admin on the repositories';
const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);
const RETRY_STATUS = new Set([429, 502, 503, 504]);

export type WoodpeckerHttp = <T>(request: WoodpeckerRequest) => Promise<{ status: number; body: T }>;

export function woodpeckerHttp(options: WoodpeckerHttpOptions): WoodpeckerHttp {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  return async <T>(request: WoodpeckerRequest) => {
    const url = new URL(`${base}/api${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const attempts = IDEMPOTENT.has(request.method) ? (options.retries ?? 2) + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const signal = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: request.method,
          headers: { authorization: `Bearer ${options.token}`, accept: 'application/json', ...(request.body === undefined ? {} : { 'content-type': 'application/json' }) },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal,
        });
      } catch (error) {
        if (attempt < attempts) {
          await sleep(200 * attempt);
          continue;
        }
        throw signal.aborted ? timeout(`Woodpecker (${request.what})`, timeoutMs, error) : upstreamUnavailable('Woodpecker', { cause: error, message: `Woodpecker could not be reached to ${request.what}` });
      }
      if (attempt < attempts && RETRY_STATUS.has(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        await sleep(200 * attempt);
        continue;
      }
      if (response.ok) {
        const text = await response.text();
        return { status: response.status, body: (text ? safeJson(text) : undefined) as T };
      }
      await response.body?.cancel().catch(() => undefined);
      throw translateStatus(response.status, request.what, response.headers.get('retry-after'));
    }
  };
}

export function translateStatus(status: number, what: string, retryAfter: string | null = null): DomainError {
  if (status === 404) return notFound(`${what}: not found in Woodpecker`, 'Check that the repository is activated in CI');
  if (status === 409) return conflict(`${what}: Woodpecker reports a conflict`);
  if (status === 400 || status === 422) return invalidInput(`${what}: Woodpecker rejected the input`);
  if (status === 401) return permissionDenied(`${what}: Woodpecker rejected the token`, TOKEN_HINT);
  if (status === 403) return permissionDenied(`${what}: the Woodpecker user is not allowed to do this`, TOKEN_HINT);
  if (status === 429 || status >= 500) {
    const seconds = Number(retryAfter);
    return upstreamUnavailable('Woodpecker', { retryAfterMs: Number.isFinite(seconds) && retryAfter ? seconds * 1000 : undefined, message: `Woodpecker is unavailable (HTTP ${status}) to ${what}` });
  }
  return new DomainError('INTERNAL', `${what}: unexpected Woodpecker answer (HTTP ${status})`);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// Not unref'd: a CLI run (doctor) may have nothing else keeping the process alive during a back-off,
// and would exit mid-retry with no output.
function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
