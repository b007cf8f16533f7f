import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { getRepo } from '../src/services/repos/get-repo.service.js';
import { projectName, repoView } from './schemas.js';

export const getRepoTool = defineTool({
  name: 'get_repo',
  title: 'Repositories: Get',
  description:
    "A project's Gitea repository as it is now: clone URLs, web URL, default branch, emptiness, and whether threesix owns it. Use it to find where to push.",
  toolset: 'repo',
  input: () => ({ project: projectName }),
  output: () => ({
    repo: repoView,
    ours: z.boolean().describe('threesix made it; only then will it change or delete it'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await getRepo(ctx.app, input.project);
    return {
      summary: `${result.repo.fullName}: clone ${result.repo.cloneHttp}, default branch ${result.repo.defaultBranch}.`,
      data: result,
    };
  },
});
