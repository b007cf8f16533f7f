import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { rollbackProject } from '../src/services/rollback.service.js';
import { releaseOutcome, replicaCount } from './deploy-schemas.js';
import { projectName } from './schemas.js';

export const rollbackTool = defineTool({
  name: 'rollback',
  title: 'Deploy: Roll back',
  description:
    'Put an earlier release of a project back on the cluster: the release id given (see list_releases), or by default the newest healthy release that differs from what runs now. ' +
    'Restores the image (env, secrets, port, health check and resources stay the project\'s current settings; replicas stay at its current count unless given), records it as a new release and waits for the rollout like deploy. dryRun=true only picks the release.',
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    release: z.number().int().optional().describe('Release id from list_releases; omit for the last healthy release'),
    replicas: z.number().int().optional().describe('Pods to run, 0 up to THREESIX_MAX_REPLICAS; omit to keep the project\'s current count'),
    dryRun: z.boolean().default(false).describe('Pick the release only; change nothing'),
  }),
  output: () => ({ ...releaseOutcome, fromReleaseId: z.number().describe('The release that was put back') }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(input, ctx) {
    const r = await rollbackProject(ctx.app, input, { progress: ctx.progress, signal: ctx.signal });
    const pods = replicaCount(r.release.replicas, input.replicas);
    const summary = r.status === 'dry_run'
      ? `Dry run: would roll ${input.project} back to release #${r.fromReleaseId} (${r.pinned}) on ${pods}.`
      : `Rollback of ${input.project} to release #${r.fromReleaseId} on ${pods}: ${r.status}${r.failure ? ` (${r.failure.reason})` : ''}.${r.nextStep ? ` ${r.nextStep}` : ''}`;
    return { summary, data: r };
  },
});
