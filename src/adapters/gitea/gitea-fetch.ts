/**
 * @module adapters/gitea/gitea-fetch
 * The fetch gitea-js calls through: every request gets a deadline, and only idempotent methods
 * (GET, HEAD, PUT, DELETE) are retried, on network failures, timeouts, 429 and 502-504, with a
 * bounded backoff that honours Retry-After. A POST is never repeated: it could create twice.
 * Gitea's API answers JSON only, so an HTML page (a 200 from a proxy or web UI, a 404 from Gitea's
 * own web routes) means GITEA_URL does not lead to the API; gitea-js would read it as no data.
 */
import { DomainError, timeout, upstreamUnavailable } from '../../domain/errors.js';

export interface ResilientFetchOptions {
  timeoutMs: number;
  /** Extra attempts for idempotent calls. */
  retries: number;
  /** First backoff step; doubles per attempt, capped at maxDelayMs. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  fetch?: typeof fetch;
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE']);
const RETRY_STATUS = new Set([429, 502, 503, 504]);

export function resilientFetch(options: ResilientFetchOptions): typeof fetch {
  const inner = options.fetch ?? fetch;
  const base = options.baseDelayMs ?? 250;
  const cap = options.maxDelayMs ?? 4000;
  return async (input, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    const attempts = IDEMPOTENT.has(method) ? options.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= attempts;
      const signal = AbortSignal.timeout(options.timeoutMs);
      let response: Response;
      try {
        response = await inner(input, { ...init, signal });
      } catch (error) {
        const timedOut = signal.aborted;
        if (last)
          throw timedOut
            ? timeout(`Gitea ${method}`, options.timeoutMs, error)
            : upstreamUnavailable('Gitea', { cause: error, message: 'Gitea could not be reached' });
        await sleep(backoff(attempt, base, cap));
        continue;
      }
      if (last || !RETRY_STATUS.has(response.status)) return notAPage(response, method);
      const wait = retryAfterMs(response.headers.get('retry-after'));
      await response.body?.cancel().catch(() => undefined);
      await sleep(Math.min(wait ?? backoff(attempt, base, cap), cap));
    }
  };
}

/** The response, unless it is an HTML page where the API answers (2xx, or 404 from a web route). */
function notAPage(response: Response, method: string): Response {
  const html = /^text\/html\b/i.test(response.headers.get('content-type') ?? '');
  if (!html || !(response.ok || response.status === 404)) return response;
  void response.body?.cancel().catch(() => undefined);
  throw new DomainError(
    'NOT_CONFIGURED',
    `Gitea answered ${method} ${new URL(response.url || 'http://x/').pathname} with HTTP ${response.status} and an HTML page instead of JSON (likely a wrong GITEA_URL or base path)`,
    {
      hint: "Check GITEA_URL: it must be Gitea's root URL (with its sub-path, if it has one), without /api/v1",
    },
  );
}

/** Seconds or an HTTP date, as RFC 9110 allows; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function backoff(attempt: number, base: number, cap: number): number {
  const step = Math.min(cap, base * 2 ** (attempt - 1));
  return step / 2 + Math.random() * (step / 2);
}

// Not unref'd: a CLI run (doctor) may have nothing else keeping the process alive during a backoff.
function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
