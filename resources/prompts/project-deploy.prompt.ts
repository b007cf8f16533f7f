import { z } from 'zod';
import { definePrompt } from '../../src/mcp/define-prompt.js';

export const projectDeployPrompt = definePrompt({
  name: 'project-deploy',
  title: 'Deploy a project',
  description: 'Ship the current code of a project: push to main and follow the build and rollout to a live site.',
  args: {
    name: z.string().describe('Project to deploy'),
    ref: z.string().optional().describe('Commit or branch to ship (default: main)'),
  },
  render: ({ name, ref }) =>
    `Deploy the threesix project "${name}"${ref ? ` at ${ref}` : ''}.\n` +
    `1. Make sure the code you want is committed${ref ? ` at ${ref}` : ''} and push it to main of the project's repository (get_project "${name}" shows the clone URLs).\n` +
    '2. CI builds the image and threesix deploys it. Check get_project: live.ci shows the pipeline, live.deployment the rollout.\n' +
    `3. Read threesix://projects/${name}/releases for the release and its status; if it failed, explain why from the reason and the pod states.\n` +
    'Report the live URL and the deployed commit when it is running.',
});
