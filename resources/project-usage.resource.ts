import { defineResource } from '../src/mcp/define-resource.js';
import { usageHistory } from '../src/services/usage/usage-summary.service.js';
import { projectListing } from './project-list.js';

export const projectUsageResource = defineResource({
  name: 'project-usage',
  title: 'Project usage',
  description:
    "CPU, memory and restarts of one project's pods as the usage sampler recorded them: last hour and last day (average and peak), " +
    'and the rows themselves, per minute for a day and per hour for 30 days.',
  uri: 'threesix://projects/{name}/usage',
  ...projectListing('/usage', (name) => `Usage history of ${name}`),
  read: async (app, _uri, { name }) => usageHistory(app, name ?? ''),
});
