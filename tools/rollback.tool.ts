import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { rollbackProject } from '../src/services/deploy/rollback.service.js';
import { releaseOutcome, replicaCount } from './deploy-schemas.js';
import { dryRun, projectName } from './schemas.js';

export const rollbackTool = defineTool({
  name: 'rollback',
  title: 'Deploy: Roll back',
  description:
    "Put an earlier release's image back: the release given, else the newest healthy one unlike what runs; other settings stay current. Recorded as a new " +
    'release; waits for the rollout like deploy.',
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    release: z.number().int().optional().describe('Release id; default: last healthy'),
    replicas: z.number().int().optional().describe('Pods, 0 to THREESIX_MAX_REPLICAS; omitted: kept'),
    dryRun,
  }),
  output: () => ({ ...releaseOutcome, fromReleaseId: z.number() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(input, ctx) {
    const r = await rollbackProject(ctx.app, input, { progress: ctx.progress, signal: ctx.signal });
    const pods = replicaCount(r.release.replicas, input.replicas);
    const summary =
      r.status === 'dry_run'
        ? `Dry run: would roll ${input.project} back to release #${r.fromReleaseId} (${r.pinned}) on ${pods}.`
        : `Rollback of ${input.project} to release #${r.fromReleaseId} on ${pods}: ${r.status}${r.failure ? ` (${r.failure.reason})` : ''}.${r.nextStep ? ` ${r.nextStep}` : ''}`;
    return { summary, data: r };
  },
});
