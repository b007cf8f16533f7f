import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { createRepo } from '../src/services/create-repo.service.js';
import { dryRun, projectName, repoView } from './schemas.js';

export const createRepoTool = defineTool({
  name: 'create_repo',
  title: 'Repositories: Create',
  description:
    'Create the Gitea repository for a project (named like the project, with a first commit on main) and return its clone URLs, web URL and default branch. ' +
    'Safe to repeat: a repository threesix already made is returned as is; a foreign one with that name fails with CONFLICT. ' +
    'Creates a repository unless dryRun is true.',
  toolset: 'repo',
  input: () => ({
    project: projectName,
    description: z.string().max(2048).optional().describe('Repository description shown in Gitea'),
    private: z.boolean().default(false).describe('Make the repository private'),
    dryRun,
  }),
  output: () => ({
    repo: repoView.nullable().describe('The repository; null only for a dry run when it does not exist yet'),
    fullName: z.string().describe('owner/name of the repository'),
    created: z.boolean().describe('True when this call created it'),
    dryRun: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await createRepo(ctx.app, input);
    const summary = result.dryRun
      ? result.repo ? `${result.fullName} already exists and is ours; nothing to do.` : `Would create ${result.fullName} (dry run).`
      : result.created ? `Created ${result.fullName}; clone ${result.repo!.cloneHttp}.` : `${result.fullName} already exists and is ours; returned it.`;
    return { summary, data: result };
  },
});
