/**
 * @module adapters/powerdns/powerdns-http
 * The PowerDNS HTTP API client: one fetch wrapper that adds the key, bounds the wait, and turns
 * every failure into a DomainError at the boundary. The API key and response bodies never reach
 * an error message.
 */
import { DomainError, notFound, permissionDenied, timeout, upstreamUnavailable } from '../../domain/errors.js';

export interface PowerDnsHttpOptions {
  apiUrl: string;
  apiKey: string;
  serverId: string;
  timeoutMs?: number;
}

export type PowerDnsRequest = (method: string, path: string, body?: unknown) => Promise<unknown>;

export function createPowerDnsHttp(options: PowerDnsHttpOptions): PowerDnsRequest {
  const base = `${options.apiUrl.replace(/\/+$/, '')}/api/v1/servers/${encodeURIComponent(options.serverId)}`;
  const ms = options.timeoutMs ?? 15_000;
  return async (method, path, body) => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          'X-API-Key': options.apiKey,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(ms),
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') throw timeout('PowerDNS', ms, error);
      throw upstreamUnavailable('PowerDNS', { cause: error, message: 'PowerDNS API is unreachable' });
    }
    const text = await response.text();
    if (response.ok) return jsonBody(response, text, method, path);
    throw mapStatus(response.status, method, path, text);
  };
}

/**
 * The API answers JSON (or nothing, 204); anything else, such as an HTML page from a proxy or
 * PowerDNS's own webserver pages, means PDNS_API_URL does not lead to the API.
 */
function jsonBody(response: Response, text: string, method: string, path: string): unknown {
  if (text === '') return undefined;
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const wrongUrl = (what: string) =>
    new DomainError(
      'NOT_CONFIGURED',
      `PowerDNS answered ${method} ${path} with HTTP ${response.status} and ${what} instead of JSON (likely a wrong PDNS_API_URL)`,
      {
        hint: 'Check PDNS_API_URL: the webserver address (e.g. http://127.0.0.1:8081), without /api/v1',
      },
    );
  if (!/^application\/(.+\+)?json$/.test(type))
    throw wrongUrl(type === 'text/html' ? 'an HTML page' : type || 'no content type');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw wrongUrl('a body that is not valid JSON');
  }
}

function mapStatus(status: number, method: string, path: string, text: string): DomainError {
  // The body is kept as the (logged, never shown) cause only.
  const cause = new Error(`PowerDNS ${method} ${path} -> ${status}: ${text.slice(0, 300)}`);
  if (status === 401 || status === 403) {
    return permissionDenied(
      'PowerDNS refused the API key',
      'Check PDNS_API_KEY matches api-key in pdns.conf and that the API is enabled (api=yes)',
    );
  }
  if (status === 404)
    return notFound(
      'the PowerDNS zone or server was not found',
      'Check DEFAULT_DOMAIN is a zone on the server and PDNS_SERVER_ID (usually "localhost")',
    );
  if (status === 409 || (status === 422 && /conflict/i.test(text))) {
    return new DomainError('CONFLICT', 'PowerDNS refused the change because it conflicts with existing records', {
      hint: 'List the records at that name; a CNAME cannot share its name with other records',
      cause,
    });
  }
  if (status === 400 || status === 422) {
    return new DomainError('INVALID_INPUT', 'PowerDNS rejected the record data', {
      hint: 'Check the record content fits its type',
      cause,
    });
  }
  return upstreamUnavailable('PowerDNS', { cause, message: `PowerDNS answered HTTP ${status}` });
}
