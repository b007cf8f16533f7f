import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { createRepo } from '../src/services/repos/create-repo.service.js';
import { dryRun, projectName, repoView } from './schemas.js';

export const createRepoTool = defineTool({
  name: 'create_repo',
  title: 'Repositories: Create',
  description:
    "Create a project's Gitea repository (first commit on main) and return its URLs. One threesix already made is returned as is; a foreign one is a " +
    'CONFLICT.',
  toolset: 'repo',
  input: () => ({
    project: projectName,
    description: z.string().max(2048).optional().describe('Shown in Gitea'),
    private: z.boolean().default(false).describe('Private repository'),
    dryRun,
  }),
  output: () => ({
    repo: repoView.nullable().describe('null in a dry run before it exists'),
    fullName: z.string(),
    created: z.boolean(),
    dryRun: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await createRepo(ctx.app, input);
    const summary = result.dryRun
      ? result.repo
        ? `${result.fullName} already exists and is ours; nothing to do.`
        : `Would create ${result.fullName} (dry run).`
      : result.created
        ? `Created ${result.fullName}; clone ${result.repo!.cloneHttp}.`
        : `${result.fullName} already exists and is ours; returned it.`;
    return { summary, data: result };
  },
});
