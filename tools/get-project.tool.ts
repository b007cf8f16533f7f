import { defineTool } from '../src/mcp/define-tool.js';
import { getProject } from '../src/services/get-project.service.js';
import { projectName, projectView } from './schemas.js';

export const getProjectTool = defineTool({
  name: 'get_project',
  title: 'Projects: Get',
  description:
    'Show one project: its repository clone URLs, live URL, domains and deployment (image, digest, commit, replicas). ' +
    'Use it to check on a project after create_project or a push. Read-only.',
  toolset: 'project',
  input: { name: projectName },
  output: projectView,
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const project = await getProject(ctx.app, input.name);
    return { summary: `Project ${project.name} is ${project.state}; deployment ${project.deployment.status}.`, data: project };
  },
});
