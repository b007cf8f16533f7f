/**
 * @module adapters/cloudflare/cloudflare-errors
 * Cloudflare SDK failures → DomainErrors. Messages are ours, keyed on HTTP status and Cloudflare's
 * numeric error codes; the upstream body stays in `cause` (logged, never shown).
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'cloudflare';
import {
  DomainError,
  isDomainError,
  notFound,
  permissionDenied,
  timeout,
  upstreamUnavailable,
} from '../../domain/errors.js';
import { NOT_JSON_HEADER } from './cloudflare-json-fetch.js';

/**
 * `instanceof APIError` alone narrows to `APIError<any, any, any>` (the class is generic); this guard
 * gives the SDK's default type arguments, so status and headers keep their types.
 */
const isApiError = (error: unknown): error is APIError => error instanceof APIError;

/** What the non-JSON answer was, when jsonOnlyFetch stood in for it. */
const notJson = (error: unknown) => (isApiError(error) ? error.headers?.get(NOT_JSON_HEADER) : null) ?? null;

const CONFLICT_CODES = new Set([81053, 81054, 81057, 81058]);
const ZONE_CODES = new Set([7000, 7003, 1001]);

/** True for failures worth retrying: rate limits, server errors, lost connections. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof APIUserAbortError) return false;
  if (notJson(error)) return false;
  if (error instanceof APIConnectionError) return true;
  return isApiError(error) && typeof error.status === 'number' && (error.status === 429 || error.status >= 500);
}

/** Milliseconds the server asked us to wait (Retry-After, seconds or HTTP date), if it said. */
export function retryAfterMs(error: unknown): number | undefined {
  if (!isApiError(error) || !error.headers) return undefined;
  const value = error.headers.get('retry-after-ms') ?? null;
  if (value && Number.isFinite(Number(value))) return Math.max(0, Number(value));
  const seconds = error.headers.get('retry-after');
  if (!seconds) return undefined;
  if (/^\d+(\.\d+)?$/.test(seconds.trim())) return Number(seconds) * 1000;
  const date = Date.parse(seconds);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export function mapCloudflareError(error: unknown, what = 'Cloudflare'): DomainError {
  if (isDomainError(error)) return error;
  if (error instanceof APIConnectionTimeoutError) return timeout(what, 0, error);
  if (!isApiError(error) || error instanceof APIConnectionError) {
    return upstreamUnavailable('Cloudflare', { cause: error, message: 'the Cloudflare API is unreachable' });
  }
  const page = notJson(error);
  if (page) {
    return new DomainError('NOT_CONFIGURED', `Cloudflare's API answered ${page} (likely a wrong CLOUDFLARE_API_URL)`, {
      hint: 'Unset CLOUDFLARE_API_URL to use https://api.cloudflare.com/client/v4, or point it at the API, not a web page',
      cause: error,
    });
  }
  const codes = (error.errors ?? []).map((e) => e.code).filter((c): c is number => typeof c === 'number');
  const status = error.status ?? 0;
  const codeText = codes.length ? ` (code ${codes.join(', ')})` : '';
  if (codes.some((c) => CONFLICT_CODES.has(c))) {
    return new DomainError(
      'CONFLICT',
      `Cloudflare refused the record: one like it already exists at that name${codeText}`,
      {
        hint: 'List the records at that name; a CNAME cannot share its name with other records',
        cause: error,
      },
    );
  }
  if (codes.includes(81044)) return notFound(`the DNS record no longer exists${codeText}`, 'List the records again');
  if (codes.some((c) => ZONE_CODES.has(c))) {
    return notFound(
      `Cloudflare does not know the zone${codeText}`,
      'Check CLOUDFLARE_ZONE_ID is the id of DEFAULT_DOMAIN',
    );
  }
  if (status === 401 || status === 403 || codes.includes(10000) || codes.includes(9109)) {
    return permissionDenied(
      `Cloudflare refused the API token${codeText}`,
      'Give CLOUDFLARE_API_TOKEN the Zone:DNS:Edit permission on this zone',
    );
  }
  if (status === 429) {
    return upstreamUnavailable('Cloudflare', {
      cause: error,
      retryAfterMs: retryAfterMs(error),
      message: 'Cloudflare is rate limiting this token',
    });
  }
  if (status === 404) return notFound(`Cloudflare answered not found${codeText}`);
  if (status === 400 || status === 422) {
    return new DomainError('INVALID_INPUT', `Cloudflare rejected the record${codeText}`, {
      hint: 'Check the record content, TTL and proxied flag',
      cause: error,
    });
  }
  return upstreamUnavailable('Cloudflare', { cause: error, message: `Cloudflare answered HTTP ${status}${codeText}` });
}
