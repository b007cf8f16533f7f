import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { undeployProject } from '../src/services/undeploy.service.js';
import { projectName } from './schemas.js';

export const undeployTool = defineTool({
  name: 'undeploy',
  title: 'Deploy: Take the site down',
  description:
    'Remove a project\'s deployment from the cluster: its Deployment, Service, Ingress, env Secret and TLS secret (only objects threesix labelled as its own). ' +
    'The project, repository, DNS and release history stay; deploy brings it back. Requires confirm equal to the project name; dryRun=true lists what would go.',
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    confirm: z.string().max(100).describe('Must equal the project name exactly'),
    dryRun: z.boolean().default(false).describe('List what would be removed; change nothing'),
  }),
  output: () => ({ project: z.string(), removed: z.array(z.string()).describe('Kind/name of each removed object'), dryRun: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const r = await undeployProject(ctx.app, input);
    return { summary: r.dryRun ? `Dry run: would remove ${r.removed.join(', ') || 'nothing'}.` : `Removed ${r.removed.length} objects of ${r.project}.`, data: r };
  },
});
