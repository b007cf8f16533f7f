import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { getProject } from '../src/services/get-project.service.js';
import { projectName, projectView } from './schemas.js';
import { usageSummarySchema } from './usage-schemas.js';

const backendState = z.object({
  status: z.enum(['ok', 'error', 'not_configured']).describe('error: this backend failed or was too slow; the rest of the answer still holds'),
  error: z.string().optional(),
  data: z.record(z.string(), z.unknown()).optional().describe('What the backend reports now'),
});

export const getProjectTool = defineTool({
  name: 'get_project',
  title: 'Projects: Get',
  description:
    'Show one project: the stored state (clone URLs, live URL, domains, deployment) plus what the git host, CI, DNS and the cluster report right now, ' +
    'asked in parallel with a time bound each, so a slow backend gives a partial answer with its error. ' +
    'Use it to check on a project after create_project or a push. Read-only.',
  toolset: 'project',
  input: () => ({ name: projectName }),
  output: () => ({
    ...projectView,
    live: z.object({ git: backendState, ci: backendState, dns: backendState, deployment: backendState, database: backendState }).describe('Each backend\'s current view'),
    operation: z.object({ id: z.string(), kind: z.string(), status: z.string(), error: z.string().nullable() }).nullable().describe('Unfinished create or delete, if any: retry_operation resumes it'),
    usage: usageSummarySchema.describe('CPU, memory and restarts of its pods over the last hour and day (sampled every sampleSeconds; null windows before the first sample)'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const project = await getProject(ctx.app, input.name);
    const failing = Object.entries(project.live).filter(([, s]) => s.status === 'error').map(([b]) => b);
    const partial = failing.length ? ` Partial: ${failing.join(', ')} did not answer.` : '';
    return { summary: `Project ${project.name} is ${project.state}; deployment ${project.deployment.status}.${partial}`, data: project };
  },
});
