import { defineResource } from '../src/mcp/define-resource.js';
import { listProjectReleases } from '../src/services/projects/project-history.service.js';
import { projectListing } from './project-list.js';

export const projectReleasesResource = defineResource({
  name: 'project-releases',
  title: 'Project releases',
  description: 'Releases of one project, newest first: image digest, commit, status and reason.',
  uri: 'threesix://projects/{name}/releases',
  ...projectListing('/releases', (name) => `Releases of ${name}`),
  read: async (app, _uri, { name }) => listProjectReleases(app, name ?? ''),
});
