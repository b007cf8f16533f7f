import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { deleteProject } from '../src/services/projects/delete-project.service.js';
import { projectName } from './schemas.js';

export const deleteProjectTool = defineTool({
  name: 'delete_project',
  title: 'Projects: Delete',
  description:
    'Delete a project and everything threesix made for it, in reverse order: the workload (TLS secret included), its DNS records, ' +
    'the CI activation, threesix webhooks and deploy keys, the repository (deleted, or archived when the operator set THREESIX_DELETE_REPOS=archive), then its records. ' +
    'Anything not owned by threesix is left alone and reported as a warning. Irreversible: confirm must equal the name. dryRun=true lists what would go.',
  toolset: 'project',
  input: () => ({
    name: projectName,
    confirm: z.string().max(100).describe('Must equal the project name exactly, to confirm the deletion'),
    dryRun: z.boolean().default(false).describe('Only list what would be removed; nothing changes'),
  }),
  output: () => ({
    dryRun: z.boolean(),
    project: z.string(),
    operationId: z.string().describe('Journal id (empty for a dry run)'),
    removed: z.array(z.string()).describe('What was removed (or, for a dry run, would be)'),
    archived: z.array(z.string()).describe('What was archived instead of deleted'),
    warnings: z.array(z.string()).describe('What was left in place and why'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const outcome = await deleteProject(ctx.app, input);
    const verb = outcome.dryRun ? 'would remove' : 'removed';
    const warn = outcome.warnings.length ? ` ${outcome.warnings.length} warning(s).` : '';
    return { summary: `Project ${outcome.project}: ${verb} ${outcome.removed.length} item(s).${warn}`, data: outcome };
  },
});
