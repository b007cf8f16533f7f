import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { listProjects } from '../src/services/list-projects.service.js';
import { projectViewSchema } from './schemas.js';

export const listProjectsTool = defineTool({
  name: 'list_projects',
  title: 'Projects: List',
  description:
    'List the projects threesix manages, from its database (no backend calls, so it is fast and never fails on a backend outage). ' +
    'Use get_project for live status of one project. Read-only.',
  toolset: 'project',
  input: () => ({
    cursor: z.string().max(100).optional().describe('nextCursor from the previous page; omit for the first page'),
    limit: z.number().int().min(1).max(200).default(50).describe('Projects per page, 1-200'),
  }),
  output: () => ({
    projects: z.array(projectViewSchema),
    nextCursor: z.string().optional().describe('Pass as cursor to get the next page; absent on the last page'),
    total: z.number().describe('Number of projects in all'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const result = await listProjects(ctx.app, input);
    const more = result.nextCursor ? ` More: pass cursor "${result.nextCursor}".` : '';
    return { summary: `${result.projects.length} of ${result.total} projects.${more}`, data: result };
  },
});
