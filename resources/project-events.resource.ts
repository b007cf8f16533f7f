import { defineResource } from '../src/mcp/define-resource.js';
import { listProjectEvents } from '../src/services/projects/project-history.service.js';
import { projectListing } from './project-list.js';

export const projectEventsResource = defineResource({
  name: 'project-events',
  title: 'Project audit trail',
  description:
    'What was done to one project, newest first: who, which tool or CI delivery, and the outcome; a failed build is ci.build_failed with its failed step. Never contains secrets.',
  uri: 'threesix://projects/{name}/events',
  ...projectListing('/events', (name) => `Audit trail of ${name}`),
  read: async (app, _uri, { name }) => listProjectEvents(app, name ?? ''),
});
