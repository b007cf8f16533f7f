import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { deleteRepo } from '../src/services/delete-repo.service.js';
import { dryRun, projectName } from './schemas.js';

export const deleteRepoTool = defineTool({
  name: 'delete_repo',
  title: 'Repositories: Delete',
  description:
    'Permanently delete a project\'s Gitea repository with all its history. Only repositories threesix created can be deleted; others are refused with the reason. ' +
    'Requires confirm equal to the project name. A repository that is already gone is reported, not an error. Use dryRun to check first.',
  toolset: 'repo',
  input: () => ({
    project: projectName,
    confirm: z.string().max(100).describe('Must equal the project name exactly, to confirm the deletion'),
    dryRun,
  }),
  output: () => ({
    fullName: z.string().describe('owner/name of the repository'),
    deleted: z.boolean().describe('True when this call deleted it'),
    existed: z.boolean().describe('Whether the repository existed'),
    dryRun: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await deleteRepo(ctx.app, input);
    const summary = !result.existed ? `${result.fullName} does not exist; nothing to delete.`
      : result.dryRun ? `Would delete ${result.fullName} (dry run).` : `Deleted ${result.fullName}.`;
    return { summary, data: result };
  },
});
