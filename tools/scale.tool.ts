import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { scaleProject } from '../src/services/deploy/scale.service.js';
import { dryRun, projectName } from './schemas.js';

export const scaleTool = defineTool({
  name: 'scale',
  title: 'Deploy: Scale',
  description:
    'Set how many pods serve a project; 0 stops the site and deletes nothing. Later deploys (CI pushes too) and rollbacks keep the count.',
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    replicas: z.number().int().describe('Pods, 0 to THREESIX_MAX_REPLICAS'),
    dryRun,
  }),
  output: () => ({ project: z.string(), from: z.number(), replicas: z.number(), dryRun: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const r = await scaleProject(ctx.app, input);
    return {
      summary: `${r.dryRun ? 'Dry run: would scale' : 'Scaled'} ${r.project} from ${r.from} to ${r.replicas} replicas.`,
      data: r,
    };
  },
});
