import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { listProjects } from '../src/services/projects/list-projects.service.js';
import { projectViewSchema } from './schemas.js';

export const listProjectsTool = defineTool({
  name: 'list_projects',
  title: 'Projects: List',
  description:
    "Projects threesix manages, from its database (no backend calls). get_project gives one project's live state.",
  toolset: 'project',
  input: () => ({
    cursor: z.string().max(100).optional().describe('nextCursor of the previous page'),
    limit: z.number().int().min(1).max(200).default(50).describe('Per page'),
  }),
  output: () => ({
    projects: z.array(projectViewSchema),
    nextCursor: z.string().optional().describe('Absent on the last page'),
    total: z.number(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const result = await listProjects(ctx.app, input);
    const more = result.nextCursor ? ` More: pass cursor "${result.nextCursor}".` : '';
    return { summary: `${result.projects.length} of ${result.total} projects.${more}`, data: result };
  },
});
