/**
 * @module services/ci/ci-webhook-limiter
 * Bounds what anonymous refused webhook deliveries cost. Every refusal is audited, so without a
 * bound an unauthenticated flood fills the database. Within one fixed window each client (remote
 * address) gets `perClient` audited refusals and all clients together `total`; the first refusal
 * over a bound writes one summarising audit row, the rest are answered 429 and only counted in
 * metrics until the window ends. Only refusals made before the caller is known go through here:
 * authenticated deliveries, accepted or refused, are never throttled. In memory and per process.
 */

export interface RefusalLimits {
  perClient: number;
  total: number;
  windowMs: number;
  /** Distinct clients tracked per window; further ones share one bucket, so memory stays bounded. */
  maxClients: number;
}

export const DEFAULT_REFUSAL_LIMITS: RefusalLimits = { perClient: 30, total: 300, windowMs: 60_000, maxClients: 1000 };

/** `record`: audit as usual. `summarise`: write one row for the throttled window. `drop`: 429, no row. */
export type RefusalVerdict =
  | { kind: 'record' }
  | { kind: 'summarise' | 'drop'; scope: 'client' | 'all'; retryAfterS: number };

const OVERFLOW = '(other clients)';

export class RefusalLimiter {
  private windowStart = -Infinity;
  private readonly counts = new Map<string, number>();
  private total = 0;

  constructor(
    readonly limits: RefusalLimits = DEFAULT_REFUSAL_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one anonymous refusal from `client` and says what to do with it. */
  refuse(client: string): RefusalVerdict {
    const now = this.now();
    if (now - this.windowStart >= this.limits.windowMs) {
      this.windowStart = now - (now % this.limits.windowMs);
      this.counts.clear();
      this.total = 0;
    }
    const bucket = this.counts.has(client) || this.counts.size < this.limits.maxClients ? client : OVERFLOW;
    const count = (this.counts.get(bucket) ?? 0) + 1;
    this.counts.set(bucket, count);
    this.total += 1;
    const retryAfterS = Math.max(1, Math.ceil((this.windowStart + this.limits.windowMs - now) / 1000));
    if (this.total > this.limits.total)
      return { kind: this.total === this.limits.total + 1 ? 'summarise' : 'drop', scope: 'all', retryAfterS };
    if (count > this.limits.perClient)
      return { kind: count === this.limits.perClient + 1 ? 'summarise' : 'drop', scope: 'client', retryAfterS };
    return { kind: 'record' };
  }
}
