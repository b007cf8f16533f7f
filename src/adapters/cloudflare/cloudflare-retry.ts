/**
 * @module adapters/cloudflare/cloudflare-retry
 * Our own bounded retry instead of the SDK's: the SDK would blindly re-POST a create whose
 * response was lost, making a duplicate. Here every retry first asks `recover` whether the earlier
 * attempt in fact landed. Retry-After is honoured up to `maxWaitMs`; a longer ban (Cloudflare
 * blocks for five minutes after a storm) fails fast as UPSTREAM_UNAVAILABLE with retryAfterMs.
 */
import { upstreamUnavailable } from '../../domain/errors.js';
import { isRetryable, mapCloudflareError, retryAfterMs } from './cloudflare-errors.js';

export interface RetryPolicy {
  /** Attempts in all, first one included. */
  attempts: number;
  /** Longest single wait we accept; a longer Retry-After fails at once. */
  maxWaitMs: number;
  /** Back-off base when the server gave no Retry-After. */
  baseDelayMs: number;
  /** Most time spent waiting across all retries of one call. */
  budgetMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, maxWaitMs: 10_000, baseDelayMs: 250, budgetMs: 20_000 };

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(
  policy: RetryPolicy,
  fn: () => Promise<T>,
  recover?: () => Promise<T | undefined>,
): Promise<T> {
  const sleep = policy.sleep ?? defaultSleep;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isRetryable(error)) throw mapCloudflareError(error);
      const wait = retryAfterMs(error) ?? policy.baseDelayMs * 2 ** (attempt - 1);
      const tooLong = wait > policy.maxWaitMs || waited + wait > (policy.budgetMs ?? Infinity);
      if (attempt >= policy.attempts || tooLong) {
        const mapped = mapCloudflareError(error);
        throw tooLong
          ? upstreamUnavailable('Cloudflare', { cause: error, retryAfterMs: wait, message: mapped.message })
          : mapped;
      }
      await sleep(wait);
      waited += wait;
      if (recover) {
        const landed = await recover();
        if (landed !== undefined) return landed;
      }
    }
  }
}
