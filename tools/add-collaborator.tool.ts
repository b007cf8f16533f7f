import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { addCollaborator } from '../src/services/repos/add-collaborator.service.js';
import { dryRun, projectName } from './schemas.js';

export const addCollaboratorTool = defineTool({
  name: 'add_collaborator',
  title: 'Repositories: Add collaborator',
  description:
    "Give an existing Gitea user access to a project's repository, or change theirs. Only on repositories threesix made.",
  toolset: 'repo',
  input: () => ({
    project: projectName,
    username: z.string().max(100).describe('Gitea login'),
    permission: z.enum(['read', 'write', 'admin']).describe('Access to grant'),
    dryRun,
  }),
  output: () => ({
    fullName: z.string(),
    username: z.string(),
    permission: z.enum(['read', 'write', 'admin']),
    dryRun: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await addCollaborator(ctx.app, input);
    const verb = result.dryRun ? 'Would give' : 'Gave';
    return {
      summary: `${verb} ${result.username} ${result.permission} access to ${result.fullName}${result.dryRun ? ' (dry run)' : ''}.`,
      data: result,
    };
  },
});
