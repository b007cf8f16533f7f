/**
 * @module services/settings/current-settings
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * What a release that puts an earlier image back (rollback, automatic rollback) runs with: the
 * project's current settings, not the earlier release's. A project without settings keeps the
 * earlier release's port and hash and the env the cluster holds, as before settings existed.
 */
import type { Release } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';
import { portOf, runtimeOf, settingsEnvHash, type RuntimeSpec } from './project-runtime.js';

export async function currentSettings(
  app: AppContext,
  project: string,
  earlier: Release,
): Promise<{ envHash: string | null; port: number; runtime: RuntimeSpec }> {
  const settings = await app.store.settings.get(project);
  return {
    envHash: settings ? await settingsEnvHash(app, settings) : earlier.envHash,
    port: portOf(undefined, settings, earlier.port),
    runtime: runtimeOf(app, settings),
  };
}
