import { defineResource } from '../src/mcp/define-resource.js';
import { listProjects } from '../src/services/projects/list-projects.service.js';

export const projectsResource = defineResource({
  name: 'projects',
  title: 'Projects',
  description: 'All projects, a page at a time: threesix://projects?cursor=<nextCursor> reads the next page.',
  uri: 'threesix://projects',
  read: async (app, uri) => listProjects(app, { cursor: uri.searchParams.get('cursor') ?? undefined, limit: 100 }),
});
