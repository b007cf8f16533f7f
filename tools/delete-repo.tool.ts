import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { deleteRepo } from '../src/services/repos/delete-repo.service.js';
import { dryRun, projectName } from './schemas.js';

export const deleteRepoTool = defineTool({
  name: 'delete_repo',
  title: 'Repositories: Delete',
  description:
    "Permanently delete a project's Gitea repository and its history; only one threesix made. One already gone is reported, not an error.",
  toolset: 'repo',
  input: () => ({
    project: projectName,
    confirm: z.string().max(100).describe('The project name'),
    dryRun,
  }),
  output: () => ({
    fullName: z.string(),
    deleted: z.boolean(),
    existed: z.boolean(),
    dryRun: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await deleteRepo(ctx.app, input);
    const summary = !result.existed
      ? `${result.fullName} does not exist; nothing to delete.`
      : result.dryRun
        ? `Would delete ${result.fullName} (dry run).`
        : `Deleted ${result.fullName}.`;
    return { summary, data: result };
  },
});
