import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { getProject } from '../src/services/projects/get-project.service.js';
import { projectName, projectView } from './schemas.js';
import { usageSummarySchema } from './usage-schemas.js';

const backendState = z.object({
  status: z.enum(['ok', 'error', 'not_configured']).describe('error: failed or too slow; the rest still holds'),
  error: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional(),
});

export const getProjectTool = defineTool({
  name: 'get_project',
  title: 'Projects: Get',
  description:
    'One project: its stored state plus what git, CI, DNS, the cluster and its database say now, each within a time bound (a slow one gives a partial ' +
    'answer).',
  toolset: 'project',
  input: () => ({ project: projectName }),
  output: () => ({
    ...projectView,
    live: z.object({
      git: backendState,
      ci: backendState,
      dns: backendState,
      deployment: backendState,
      database: backendState,
    }),
    operation: z
      .object({ id: z.string(), kind: z.string(), status: z.string(), error: z.string().nullable() })
      .nullable()
      .describe('Unfinished create or delete; retry_operation resumes it'),
    usage: usageSummarySchema.describe('Pod CPU, memory and restarts'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const project = await getProject(ctx.app, input.project);
    const failing = Object.entries(project.live)
      .filter(([, s]) => s.status === 'error')
      .map(([b]) => b);
    const partial = failing.length ? ` Partial: ${failing.join(', ')} did not answer.` : '';
    return {
      summary: `Project ${project.name} is ${project.state}; deployment ${project.deployment.status}.${partial}`,
      data: project,
    };
  },
});
