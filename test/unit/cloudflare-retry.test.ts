import { APIConnectionError, APIError } from 'cloudflare';
import { describe, expect, it } from 'vitest';
import { withRetry } from '../../src/adapters/cloudflare/cloudflare-retry.js';
import { DomainError } from '../../src/domain/errors.js';

const rateLimited = (retryAfter: string) =>
  APIError.generate(
    429,
    { errors: [{ code: 1015, message: 'slow down' }] },
    undefined,
    new Headers({ 'retry-after': retryAfter }),
  );
const badRequest = () =>
  APIError.generate(400, { errors: [{ code: 9005, message: 'bad content' }] }, undefined, new Headers());

function harness(failures: Error[]) {
  const waits: number[] = [];
  let calls = 0;
  const fn = () => {
    calls++;
    const next = failures.shift();
    return next ? Promise.reject(next) : Promise.resolve('ok');
  };
  return {
    waits,
    fn,
    calls: () => calls,
    policy: {
      attempts: 5,
      maxWaitMs: 5000,
      baseDelayMs: 100,
      budgetMs: 8000,
      sleep: (ms: number) => Promise.resolve(void waits.push(ms)),
    },
  };
}

describe('withRetry (Cloudflare)', () => {
  it('honours Retry-After seconds, then succeeds', async () => {
    const h = harness([rateLimited('2'), rateLimited('1')]);
    expect(await withRetry(h.policy, h.fn)).toBe('ok');
    expect(h.waits).toEqual([2000, 1000]);
  });

  it('backs off exponentially without Retry-After, and on connection errors', async () => {
    const h = harness([
      APIError.generate(503, undefined, undefined, new Headers()),
      new APIConnectionError({ message: 'reset' }),
    ]);
    expect(await withRetry(h.policy, h.fn)).toBe('ok');
    expect(h.waits).toEqual([100, 200]);
  });

  it('asks recover before retrying, so a write that landed is not sent twice', async () => {
    const h = harness([APIError.generate(502, undefined, undefined, new Headers())]);
    expect(await withRetry(h.policy, h.fn, () => Promise.resolve('landed'))).toBe('landed');
    expect(h.calls()).toBe(1);
  });

  it('fails fast with retryAfterMs when the ban is longer than it will wait, or the budget is spent', async () => {
    for (const failures of [[rateLimited('300')], [rateLimited('5'), rateLimited('5')]]) {
      const h = harness(failures);
      const error = await withRetry(h.policy, h.fn).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('UPSTREAM_UNAVAILABLE');
      expect((error as DomainError).retryAfterMs).toBeGreaterThanOrEqual(5000);
    }
  });

  it('does not retry a client error, and maps it', async () => {
    const h = harness([badRequest()]);
    const error = await withRetry(h.policy, h.fn).catch((e: unknown) => e);
    expect((error as DomainError).code).toBe('INVALID_INPUT');
    expect((error as DomainError).toText()).not.toContain('bad content');
    expect(h.calls()).toBe(1);
  });
});
