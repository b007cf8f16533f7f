import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { deployRelease } from '../src/services/deploy-release.service.js';
import { releaseOutcome, replicaCount } from './deploy-schemas.js';
import { projectName } from './schemas.js';

export const deployTool = defineTool({
  name: 'deploy',
  title: 'Deploy: Release an image',
  description:
    'Deploy a container image to the cluster as the live site of a project (https://<project>.<domain>). The tag is resolved to a digest, a release is recorded, ' +
    'and with wait=true the call returns when the rollout is serving, has failed, or (after THREESIX_DEPLOY_WAIT_S) is still in progress — then call deploy_status. ' +
    'On failure (image pull error, crash loop) the last healthy release is put back automatically and the result says so. Calling again with the same image and settings ' +
    'reports the same release. Env, secrets and port given become the project\'s settings (see list_env); omitted, they are kept. Replicas are project state: omitted, the count set by scale (or the last deploy) is kept. The project must exist (create_project first; NOT_FOUND otherwise). ' +
    'The image must be in the project\'s own repository <registry>/<org>/<project> (or one the operator allows) and exist in the registry, tag or digest. Changes Deployment, Service, Ingress and Secret objects; dryRun=true only resolves and validates.',
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    image: z.string().max(512).describe('The project\'s image: <registry>/<org>/<project>:tag or <registry>/<org>/<project>@sha256:<digest>'),
    port: z.number().int().optional().describe('Port the container listens on, 1-65535 (the site serves it on 80/443); omit to keep the project\'s port (configure; 8080 at first)'),
    replicas: z.number().int().optional().describe('Pods to run, 0 up to the operator maximum (THREESIX_MAX_REPLICAS); omit to keep the project\'s current count (set by scale; 1 for a new project)'),
    env: z.record(z.string(), z.string()).optional().describe('Plain environment variables (NAME: value); omit to keep the current ones'),
    secrets: z.record(z.string(), z.string()).optional().describe('Secret environment variables, stored in a Kubernetes Secret and never shown again; omit to keep the current ones'),
    wait: z.boolean().default(true).describe('Wait for the rollout (bounded by THREESIX_DEPLOY_WAIT_S); false returns at once with status in_progress'),
    dryRun: z.boolean().default(false).describe('Validate and resolve the digest only; change nothing'),
  }),
  output: () => releaseOutcome,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const r = await deployRelease(ctx.app, { ...input, actor: ctx.actor }, { progress: ctx.progress, signal: ctx.signal });
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
