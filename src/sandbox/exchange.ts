/**
 * @module sandbox/exchange
 * What a stand-in reports about each HTTP exchange it serves, so tests can validate both
 * directions against the official API specification.
 */
export interface Exchange {
  method: string;
  /** Path without query string. */
  path: string;
  query: string;
  requestContentType?: string;
  /** Parsed JSON body, or raw text when not JSON; undefined when empty. */
  requestBody?: unknown;
  status: number;
  responseBody?: unknown;
}

export type ExchangeObserver = (exchange: Exchange) => void;
