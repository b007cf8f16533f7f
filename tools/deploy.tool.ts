import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { deployRelease } from '../src/services/deploy/deploy-release.service.js';
import { releaseOutcome, replicaCount } from './deploy-schemas.js';
import { projectName } from './schemas.js';

export const deployTool = defineTool({
  name: 'deploy',
  title: 'Deploy: Release an image',
  description:
    "Deploy an image as a project's live site, pinned to its digest and recorded as a release; with wait it returns once the rollout serves, fails or " +
    'outlasts THREESIX_DEPLOY_WAIT_S (then deploy_status). A failed rollout puts the last healthy release back. Given env, secrets, port and replicas ' +
    "become the project's settings.",
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    image: z.string().max(512).describe('<registry>/<org>/<project>:tag or @sha256:<digest>'),
    port: z.number().int().optional().describe('Container port; default: kept (8080 at first)'),
    replicas: z.number().int().optional().describe('Pods, up to THREESIX_MAX_REPLICAS; default: kept'),
    env: z.record(z.string(), z.string()).optional().describe('NAME: value; default: kept'),
    secrets: z.record(z.string(), z.string()).optional().describe('Never shown again; default: kept'),
    wait: z.boolean().default(true).describe('false returns at once, in_progress'),
    dryRun: z.boolean().default(false).describe('Resolve and validate only'),
  }),
  output: () => releaseOutcome,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const r = await deployRelease(
      ctx.app,
      { ...input, actor: ctx.actor },
      { progress: ctx.progress, signal: ctx.signal },
    );
    const { dryRun: _d, reused, ...data } = r;
    const same = reused ? ' (same image and settings as the current release; nothing new was started)' : '';
    const pods = replicaCount(r.release.replicas, input.replicas);
    const summaries: Record<typeof r.status, string> = {
      succeeded: `Release #${r.release.id} of ${input.project} is serving at ${r.url} on ${pods}${same}.`,
      in_progress: `Release #${r.release.id} of ${input.project} (${pods}) is still rolling out${same}. ${r.nextStep ?? ''}`,
      failed: `Deploy FAILED: release #${r.release.id} of ${input.project}: ${r.failure?.reason}. ${r.nextStep ?? ''}`,
      rolled_back: `Deploy FAILED (${r.failure?.reason}); rolled back to release #${r.rolledBackTo?.fromReleaseId} (${r.rolledBackTo?.status}). ${r.nextStep ?? ''}`,
      dry_run: `Dry run: ${input.image} resolves to ${r.pinned}, to run on ${pods}; nothing was changed.`,
    };
    return { summary: summaries[r.status].trim(), data };
  },
});
