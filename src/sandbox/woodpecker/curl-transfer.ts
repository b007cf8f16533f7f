/**
 * @module sandbox/woodpecker/curl-transfer
 * The network side of the simulated `curl`: the request step-command.ts read from the command,
 * sent with fetch the way curl would send it and retry it.
 */
import type { CurlRequest } from './step-command.js';

/**
 * One curl transfer with curl's retry rule (curl/curl docs/cmdline-opts/retry.d and
 * retry-connrefused.d): with --retry N, a timeout, HTTP 408, 429, 500, 502, 503 or 504, and with
 * --retry-connrefused a refused connection, are retried up to N times; curl waits 1 s, doubling,
 * which the simulation shortens to 200 ms steps. Exit codes are curl's: 7 no connection, 28
 * timeout, 22 for an HTTP error under -f.
 */
const TRANSIENT_STATUS = new Set([408, 429, 500, 502, 503, 504]);

export async function performCurl(request: CurlRequest): Promise<{ exitCode: number; status: number; body: string }> {
  for (let attempt = 0; ; attempt++) {
    const canRetry = attempt < request.retries;
    let response: Response;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(20_000),
      });
    } catch (error) {
      const timedOut = (error as Error).name === 'TimeoutError';
      if (canRetry && (timedOut || request.retryConnRefused)) {
        await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
        continue;
      }
      return { exitCode: timedOut ? 28 : 7, status: 0, body: '' };
    }
    const body = await response.text();
    if (canRetry && TRANSIENT_STATUS.has(response.status)) {
      await new Promise((resolve) => setTimeout(resolve, 200 * (attempt + 1)));
      continue;
    }
    return { exitCode: request.failOnError && response.status >= 400 ? 22 : 0, status: response.status, body };
  }
}
