import { z } from 'zod';
import { definePrompt } from '../../src/mcp/define-prompt.js';

export const projectCreatePrompt = definePrompt({
  name: 'project-create',
  title: 'Create a project',
  description: 'Create a new project (repository, CI, DNS name) and get it live with a first push.',
  args: {
    name: z.string().describe('Project name: a lowercase DNS label such as "my-app"'),
    description: z.string().optional().describe('One line saying what the project is'),
  },
  render: ({ name, description }) =>
    `Create the threesix project "${name}"${description ? ` (${description})` : ''}.\n` +
    `1. Call create_project with name "${name}"${description ? ` and description "${description}"` : ''} and dryRun true; show me the plan.\n` +
    '2. If the plan is fine, call create_project again without dryRun.\n' +
    '3. Clone the repository from the cloneHttp or cloneSsh URL it returns, keep the Dockerfile and .woodpecker.yaml, add the app, and push to main.\n' +
    `4. Watch get_project "${name}" until the deployment is running with the pushed commit, then give me the live URL.\n` +
    'If a step fails, read the error: it names the step and an operation id; fix the cause and call retry_operation with that id.',
});
