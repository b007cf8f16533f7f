/**
 * @module sandbox/exchange-log
 * THREESIX_SANDBOX_EXCHANGE_LOG: every stand-in a sandbox starts appends each HTTP exchange it
 * serves to this file, one JSON line `{backend, method, path, query, status, ...}`, so a test that
 * runs the sandbox in another process (`serve --sandbox`, `stdio --sandbox`) can check all of them
 * against the official API specs afterwards. Only the shape matters there, so secret values (tokens,
 * passwords, secret and Secret data values, hook URLs' access tokens) are written as "[redacted]"
 * and never reach the file. Bodies that are not JSON (git packs over smart HTTP, logs) are left out:
 * no spec describes them and they would only bloat the file. The file is created owner-only.
 */
import { appendFileSync } from 'node:fs';
import type { Exchange, ExchangeObserver } from './exchange.js';

const SECRET_KEYS = /^(value|password|token|secret|data|stringData|access_token|authorization)$/i;
const REDACTED = '[redacted]';

export function exchangeLogObserver(file: string, backend: string): ExchangeObserver {
  return (exchange) => {
    const line = JSON.stringify({ backend, ...redactExchange(exchange) });
    appendFileSync(file, `${line}\n`, { mode: 0o600 });
  };
}

export function redactExchange(exchange: Exchange): Exchange {
  return {
    ...exchange,
    query: redactQuery(exchange.query),
    requestBody: typeof exchange.requestBody === 'string' ? undefined : redact(exchange.requestBody, false),
    responseBody: typeof exchange.responseBody === 'string' ? undefined : redact(exchange.responseBody, false),
  };
}

function redact(value: unknown, secret: boolean): unknown {
  if (typeof value === 'string') return secret ? REDACTED : redactUrlTokens(value);
  if (Array.isArray(value)) return value.map((item) => redact(item, secret));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, redact(child, secret || SECRET_KEYS.test(key))]),
    );
  }
  return value;
}

function redactQuery(query: string): string {
  if (!query) return query;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) if (SECRET_KEYS.test(key)) params.set(key, REDACTED);
  return `?${params.toString()}`;
}

/** A hook URL carries its token in the query (Woodpecker's `/api/hook?access_token=`). */
function redactUrlTokens(text: string): string {
  return text.replace(/([?&](?:access_token|token)=)[^&\s"]+/gi, `$1${REDACTED}`);
}
