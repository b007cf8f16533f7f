/**
 * Output schema pieces shared by set_env and configure: what the settings change rolled out.
 */
import { z } from 'zod';
import type { DeployReleaseResult } from '../src/services/deploy/deploy-release.service.js';

export const settingsRollout = {
  project: z.string(),
  status: z
    .enum(['stored', 'succeeded', 'in_progress', 'failed', 'rolled_back', 'dry_run'])
    .describe('stored: nothing deployed yet'),
  releaseId: z.number().nullable(),
  reused: z.boolean().describe('Nothing changed'),
  failureReason: z.string().nullable(),
  nextStep: z.string().nullable(),
};

type SettingsRollout = { [K in keyof typeof settingsRollout]: z.infer<(typeof settingsRollout)[K]> };

export function settingsOutcome(project: string, r: DeployReleaseResult | null | 'dry_run'): SettingsRollout {
  if (r === 'dry_run')
    return {
      project,
      status: 'dry_run',
      releaseId: null,
      reused: false,
      failureReason: null,
      nextStep: 'Call again without dryRun to apply it',
    };
  if (!r) return { project, status: 'stored', releaseId: null, reused: false, failureReason: null, nextStep: null };
  const status = r.status === 'dry_run' ? 'in_progress' : r.status;
  return {
    project,
    status,
    releaseId: r.release.id,
    reused: r.reused,
    failureReason: r.failure?.reason ?? null,
    nextStep: r.nextStep,
  };
}

export function settingsSummary(what: string, o: SettingsRollout): string {
  if (o.status === 'dry_run') return `Dry run: ${what.toLowerCase()} for ${o.project} are valid; nothing was changed.`;
  if (o.status === 'stored')
    return `${what} stored for ${o.project}; nothing is deployed, so its first deploy applies them.`;
  if (o.reused) return `${what} unchanged for ${o.project}: release #${o.releaseId} already runs with them.`;
  const tail = o.failureReason ? ` (${o.failureReason})` : '';
  return `${what} of ${o.project} rolled out as release #${o.releaseId}: ${o.status}${tail}.${o.nextStep ? ` ${o.nextStep}` : ''}`;
}
