import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { deleteProject } from '../src/services/projects/delete-project.service.js';
import { dryRun, projectName } from './schemas.js';

export const deleteProjectTool = defineTool({
  name: 'delete_project',
  title: 'Projects: Delete',
  description:
    'Delete a project and all threesix made for it: workload, database, DNS records, CI activation, webhooks, deploy keys, the repository (or archive it, ' +
    'per THREESIX_DELETE_REPOS) and its records. What threesix does not own stays.',
  toolset: 'project',
  input: () => ({
    project: projectName,
    confirm: z.string().max(100).describe('The project name'),
    dryRun,
  }),
  output: () => ({
    dryRun: z.boolean(),
    project: z.string(),
    operationId: z.string(),
    removed: z.array(z.string()),
    archived: z.array(z.string()),
    warnings: z.array(z.string()).describe('Left in place, and why'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const outcome = await deleteProject(ctx.app, { name: input.project, confirm: input.confirm, dryRun: input.dryRun });
    const verb = outcome.dryRun ? 'would remove' : 'removed';
    const warn = outcome.warnings.length ? ` ${outcome.warnings.length} warning(s).` : '';
    return { summary: `Project ${outcome.project}: ${verb} ${outcome.removed.length} item(s).${warn}`, data: outcome };
  },
});
