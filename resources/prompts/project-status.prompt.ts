import { z } from 'zod';
import { definePrompt } from '../../src/mcp/define-prompt.js';

export const projectStatusPrompt = definePrompt({
  name: 'project-status',
  title: 'Project status',
  description: 'Summarise how a project is doing: repository, CI, DNS, deployment, and anything that needs attention.',
  args: {
    name: z.string().describe('Project to report on'),
  },
  render: ({ name }) =>
    `Report on the threesix project "${name}".\n` +
    `1. Call get_project "${name}". For each backend in live, say what it reports; if one shows status "error", say which and quote its error.\n` +
    '2. If an operation is unfinished, name it and suggest retry_operation with its id.\n' +
    `3. Read threesix://projects/${name}/releases and threesix://projects/${name}/events for the latest release and recent actions.\n` +
    'End with one line: healthy, degraded (why) or down (why).',
});
