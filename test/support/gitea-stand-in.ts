/**
 * Starts the Gitea stand-in for a test with every API exchange validated against Gitea's
 * swagger (when the specs are present). Git smart-HTTP traffic is not part of the REST spec.
 */
import { rmSync } from 'node:fs';
import { startGiteaStandIn, type GiteaStandIn } from '../../src/sandbox/gitea/index.js';
import { SpecValidator } from './openapi.js';
import { SPECS_PRESENT } from './specs.js';
import { tempDir } from './test-app.js';

export interface ValidatedGitea {
  gitea: GiteaStandIn;
  validator: SpecValidator | undefined;
  /** How many HTTP exchanges (API and git) the stand-in has served. */
  exchanges(): number;
  /** Spec violations so far, emptied on read. */
  takeViolations(): string[];
  stop(): Promise<void>;
}

export async function startValidatedGitea(options: { org?: string; scopes?: string[] } = {}): Promise<ValidatedGitea> {
  const validator = SPECS_PRESENT ? new SpecValidator('gitea/swagger.v1.json', { basePath: '/api/v1' }) : undefined;
  const dataDir = tempDir('threesix-gitea-');
  let served = 0;
  const gitea = await startGiteaStandIn({
    dataDir,
    org: options.org,
    scopes: options.scopes,
    observer: exchange => {
      served++;
      if (!exchange.path.startsWith('/api/v1/')) return;
      // Gitea's {filepath} parameter spans slashes; the validator's templates match one segment,
      // so fold the file path into one segment before matching (only for the contents routes).
      const contents = /^(\/api\/v1\/repos\/[^/]+\/[^/]+\/contents\/)(.+)$/.exec(exchange.path);
      validator?.check(contents ? { ...exchange, path: contents[1] + contents[2]!.replaceAll('/', '%2F') } : exchange);
    },
  });
  return {
    gitea,
    validator,
    exchanges: () => served,
    takeViolations: () => (validator ? validator.violations.splice(0).map(v => `${v.exchange} [${v.where}] ${v.errors}`) : []),
    stop: async () => {
      await gitea.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
