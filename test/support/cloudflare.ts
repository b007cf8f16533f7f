/**
 * Starts the Cloudflare stand-in with every exchange checked by the shared strict spec check
 * (spec-check.ts, where the two documented defects of Cloudflare's 2024 schema are handled).
 */
import type { Exchange } from '../../src/sandbox/exchange.js';
import {
  startCloudflareStandIn,
  type CloudflareStandInOptions,
  type RunningCloudflareStandIn,
} from '../../src/sandbox/cloudflare/cloudflare-stand-in.js';
import { createSpecCheck, type SpecCheck } from './spec-check.js';

export interface CheckedCloudflare extends RunningCloudflareStandIn {
  /** Spec violations so far (always empty when the specs are absent). */
  readonly violations: string[];
  exchanges: Exchange[];
  spec: SpecCheck;
}

export async function startCheckedCloudflare(options: CloudflareStandInOptions): Promise<CheckedCloudflare> {
  const spec = createSpecCheck('cloudflare');
  const exchanges: Exchange[] = [];
  const running = await startCloudflareStandIn({
    ...options,
    observer: (exchange) => {
      exchanges.push(exchange);
      spec.observe(exchange);
    },
  });
  return Object.defineProperty(Object.assign(running, { exchanges, spec }), 'violations', {
    get: () => spec.violations(),
    enumerable: true,
  }) as CheckedCloudflare;
}
