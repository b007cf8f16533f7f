/**
 * @module adapters/woodpecker/woodpecker-http
 * One JSON request to Woodpecker's HTTP server: Bearer token, a deadline per attempt, retries for
 * idempotent methods only (GET, PUT, DELETE) on network failures, 429 and 502-504, and every
 * failure translated to a DomainError. Woodpecker's error bodies are plain text that can echo
 * input, so they are never copied into a message.
 *
 * Every answer with a body must be JSON: Woodpecker serves its web UI for any path no route
 * matches, with 200 and text/html (server/router/router.go `e.NoRoute(...)` → server/web/web.go
 * `handleIndex`), so a wrong WOODPECKER_URL or API path looks like success unless the type is checked.
 */
import {
  DomainError,
  conflict,
  invalidInput,
  notFound,
  permissionDenied,
  timeout,
  upstreamUnavailable,
} from '../../domain/errors.js';

export interface WoodpeckerHttpOptions {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  retries?: number;
  fetch?: typeof fetch;
}

export interface WoodpeckerRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /**
   * The path below WOODPECKER_URL, `/api/...` for the API; `/version` is served outside /api
   * (server/router/router.go registers it on the root group, although swagger.json lists it under
   * basePath /api).
   */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** What was attempted, for the error message, e.g. "activate threesix/app". */
  what: string;
}

export const TOKEN_HINT =
  'Check WOODPECKER_TOKEN: it must be a personal access token of a user who is admin on the repositories';
export const URL_HINT =
  "Check WOODPECKER_URL: it must be Woodpecker's server URL (with its root path, if it has one) and nothing after it; Woodpecker answers an unknown path with its web UI";
const IDEMPOTENT = new Set(['GET', 'PUT', 'DELETE']);
const RETRY_STATUS = new Set([429, 502, 503, 504]);

export type WoodpeckerHttp = <T>(request: WoodpeckerRequest) => Promise<{ status: number; body: T }>;

export function woodpeckerHttp(options: WoodpeckerHttpOptions): WoodpeckerHttp {
  const base = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const doFetch = options.fetch ?? fetch;
  return async <T>(request: WoodpeckerRequest) => {
    const url = new URL(`${base}${request.path}`);
    for (const [key, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const attempts = IDEMPOTENT.has(request.method) ? (options.retries ?? 2) + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const signal = AbortSignal.timeout(timeoutMs);
      let response: Response;
      try {
        response = await doFetch(url, {
          method: request.method,
          headers: {
            authorization: `Bearer ${options.token}`,
            accept: 'application/json',
            ...(request.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: request.body === undefined ? undefined : JSON.stringify(request.body),
          signal,
        });
      } catch (error) {
        if (attempt < attempts) {
          await sleep(200 * attempt);
          continue;
        }
        throw signal.aborted
          ? timeout(`Woodpecker (${request.what})`, timeoutMs, error)
          : upstreamUnavailable('Woodpecker', {
              cause: error,
              message: `Woodpecker could not be reached to ${request.what}`,
            });
      }
      if (attempt < attempts && RETRY_STATUS.has(response.status)) {
        await response.body?.cancel().catch(() => undefined);
        await sleep(200 * attempt);
        continue;
      }
      if (response.ok) return { status: response.status, body: (await jsonBody(response, request.what)) as T };
      throw translateStatus(
        response.status,
        request.what,
        response.headers.get('retry-after'),
        await knownMessage(response),
      );
    }
  };
}

/**
 * Fixed texts Woodpecker answers with that change what the failure means (server/api/repo.go
 * PostRepo); only these are recognised, any other body is dropped unread into a message.
 */
const FORGE_REPO_MISSING = 'Could not fetch repository from forge.';
const NOT_REPO_ADMIN = 'User has to be a admin of this repository';
const KNOWN_MESSAGES = new Set([FORGE_REPO_MISSING, NOT_REPO_ADMIN]);

async function knownMessage(response: Response): Promise<string | undefined> {
  const text = await response.text().catch(() => '');
  return KNOWN_MESSAGES.has(text.trim()) ? text.trim() : undefined;
}

export function translateStatus(
  status: number,
  what: string,
  retryAfter: string | null = null,
  message?: string,
): DomainError {
  // PostRepo answers 500 when the forge lookup fails, as for a repository that does not exist there.
  if (message === FORGE_REPO_MISSING) {
    return notFound(
      `${what}: Woodpecker could not fetch the repository from its forge`,
      "Check that the repository exists in Gitea and that Woodpecker's forge user (the owner of WOODPECKER_TOKEN) can read it",
    );
  }
  if (message === NOT_REPO_ADMIN)
    return permissionDenied(`${what}: the Woodpecker user is not admin of this repository in the forge`, TOKEN_HINT);
  if (status === 404)
    return notFound(`${what}: not found in Woodpecker`, 'Check that the repository is activated in CI');
  if (status === 409) return conflict(`${what}: Woodpecker reports a conflict`);
  if (status === 400 || status === 422) return invalidInput(`${what}: Woodpecker rejected the input`);
  if (status === 401) return permissionDenied(`${what}: Woodpecker rejected the token`, TOKEN_HINT);
  if (status === 403) return permissionDenied(`${what}: the Woodpecker user is not allowed to do this`, TOKEN_HINT);
  if (status === 429 || status >= 500) {
    const seconds = Number(retryAfter);
    return upstreamUnavailable('Woodpecker', {
      retryAfterMs: Number.isFinite(seconds) && retryAfter ? seconds * 1000 : undefined,
      message: `Woodpecker is unavailable (HTTP ${status}) to ${what}`,
    });
  }
  return new DomainError('INTERNAL', `${what}: unexpected Woodpecker answer (HTTP ${status})`);
}

/**
 * The answer's JSON, or undefined for an empty one (204 from repair). Anything else is an error
 * naming the likely cause, never the body (an HTML page, or text that can echo input).
 */
async function jsonBody(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (text === '' && (response.status === 204 || type === '')) return undefined;
  if (type === 'text/html') {
    return notJson(
      `${what}: Woodpecker answered HTTP ${response.status} with an HTML page instead of JSON, so this URL is not its API (likely a wrong WOODPECKER_URL or base path)`,
    );
  }
  if (!/^application\/(.+\+)?json$/.test(type))
    return notJson(
      `${what}: Woodpecker answered HTTP ${response.status} with ${type || 'no content type'} instead of JSON (likely a wrong WOODPECKER_URL or a proxy in front of it)`,
    );
  try {
    return JSON.parse(text);
  } catch {
    return notJson(`${what}: Woodpecker answered HTTP ${response.status} with a body that is not valid JSON`);
  }
}

function notJson(message: string): never {
  throw new DomainError('NOT_CONFIGURED', message, { hint: URL_HINT });
}

// Not unref'd: a CLI run (doctor) may have nothing else keeping the process alive during a back-off,
// and would exit mid-retry with no output.
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
