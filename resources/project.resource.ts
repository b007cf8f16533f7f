import { defineResource } from '../src/mcp/define-resource.js';
import { getProject } from '../src/services/projects/get-project.service.js';
import { projectListing } from './project-list.js';

export const projectResource = defineResource({
  name: 'project',
  title: 'Project',
  description:
    'The full state of one project: stored record plus what each backend reports now. Subscribe to hear when it changes (deploy, scale, domain).',
  uri: 'threesix://projects/{name}',
  ...projectListing('', (name) => `Project ${name}`),
  read: async (app, _uri, { name }) => getProject(app, name ?? ''),
});
