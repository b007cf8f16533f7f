/**
 * Starts the Gitea stand-in for a test with every API exchange checked by the shared strict spec
 * check (spec-check.ts; skipped, visibly, when the specs are absent). Git smart-HTTP traffic is not
 * part of the REST spec.
 */
import { rmSync } from 'node:fs';
import { startGiteaStandIn, type GiteaStandIn } from '../../src/sandbox/gitea/index.js';
import { createSpecCheck, type SpecCheck } from './spec-check.js';
import { tempDir } from './test-app.js';

export interface ValidatedGitea {
  gitea: GiteaStandIn;
  spec: SpecCheck;
  /** How many HTTP exchanges (API and git) the stand-in has served. */
  exchanges(): number;
  /** Spec violations so far, emptied on read. */
  takeViolations(): string[];
  stop(): Promise<void>;
}

export async function startValidatedGitea(options: { org?: string; scopes?: string[] } = {}): Promise<ValidatedGitea> {
  const spec = createSpecCheck('gitea');
  const dataDir = tempDir('threesix-gitea-');
  const gitea = await startGiteaStandIn({ dataDir, org: options.org, scopes: options.scopes, observer: spec.observe });
  return {
    gitea,
    spec,
    exchanges: () => spec.observed(),
    takeViolations: () => spec.takeViolations(),
    stop: async () => {
      await gitea.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
