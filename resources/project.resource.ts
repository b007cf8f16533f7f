import { defineResource } from '../src/mcp/define-resource.js';
import { getProject } from '../src/services/get-project.service.js';

export const projectResource = defineResource({
  name: 'project',
  title: 'Project',
  description: 'The full stored state of one project.',
  uri: 'threesix://projects/{name}',
  list: async app =>
    (await app.store.projects.list({ limit: 100 })).items.map(p => ({ uri: `threesix://projects/${p.name}`, name: p.name, description: p.description })),
  complete: {
    name: async (app, prefix) => (await app.store.projects.list({ limit: 200 })).items.map(p => p.name).filter(n => n.startsWith(prefix)).slice(0, 50),
  },
  read: async (app, _uri, { name }) => getProject(app, name ?? ''),
});
