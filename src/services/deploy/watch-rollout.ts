/**
 * @module services/deploy/watch-rollout
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * Polls the workload until the rollout succeeds, fails, or the wait budget runs out, sending
 * progress notifications on the way. On failure it fetches the last log lines for the report.
 */
import { assessRollout, type RolloutVerdict } from './assess-rollout.js';
import type { Deployer } from '../../ports/deployer.port.js';

export type ProgressFn = (progress: number, total?: number, message?: string) => Promise<void>;

export interface WatchOutcome {
  verdict: RolloutVerdict;
  /** Last log lines of the failing workload (secrets redacted by the adapter). */
  logTail: string | null;
}

const POLL_MS = 500;

export async function watchRollout(
  deployer: Deployer,
  target: { project: string; image: string; replicas: number },
  budgetMs: number,
  options: { progress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<WatchOutcome> {
  const started = Date.now();
  const total = Math.max(1, Math.round(budgetMs / 1000));
  for (;;) {
    const verdict = assessRollout(await deployer.status(target.project), target.image, target.replicas);
    if (verdict.state === 'failed') {
      const logTail = await deployer.logs(target.project, { tail: 20 }).catch(() => null);
      return { verdict, logTail };
    }
    if (verdict.state === 'succeeded') return { verdict, logTail: null };
    const elapsed = Date.now() - started;
    if (elapsed + POLL_MS > budgetMs || options.signal?.aborted) return { verdict, logTail: null };
    await options.progress?.(
      Math.round(elapsed / 1000),
      total,
      `${target.project}: ${verdict.ready}/${verdict.desired} pods ready`,
    );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
