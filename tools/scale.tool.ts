import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { scaleProject } from '../src/services/scale.service.js';
import { projectName } from './schemas.js';

export const scaleTool = defineTool({
  name: 'scale',
  title: 'Deploy: Scale',
  description:
    'Set how many pods serve a project, from 0 (site stopped, nothing deleted) up to the operator maximum (THREESIX_MAX_REPLICAS). Changes the Deployment\'s replicas and the project\'s count, which later deploys (CI pushes included) and rollbacks keep unless given another; dryRun=true only validates.',
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    replicas: z.number().int().describe('Desired pods, 0 up to THREESIX_MAX_REPLICAS'),
    dryRun: z.boolean().default(false).describe('Validate only; change nothing'),
  }),
  output: () => ({ project: z.string(), from: z.number(), replicas: z.number(), dryRun: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const r = await scaleProject(ctx.app, input);
    return { summary: `${r.dryRun ? 'Dry run: would scale' : 'Scaled'} ${r.project} from ${r.from} to ${r.replicas} replicas.`, data: r };
  },
});
