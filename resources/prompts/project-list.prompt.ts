import { z } from 'zod';
import { definePrompt } from '../../src/mcp/define-prompt.js';

export const projectListPrompt = definePrompt({
  name: 'project-list',
  title: 'List projects',
  description: 'List the projects on this platform with their state and live URL.',
  args: {
    filter: z.string().optional().describe('Only projects whose name contains this text'),
  },
  render: ({ filter }) =>
    `List the threesix projects${filter ? ` whose name contains "${filter}"` : ''}.\n` +
    'Call list_projects (follow nextCursor until there is none) and show a table: name, state, deployment status, URL.\n' +
    'Mention any project that is not ready, and suggest get_project for it.',
});
