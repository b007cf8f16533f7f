import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { undeployProject } from '../src/services/deploy/undeploy.service.js';
import { dryRun, projectName } from './schemas.js';

export const undeployTool = defineTool({
  name: 'undeploy',
  title: 'Deploy: Take the site down',
  description:
    "Remove a project's workload from the cluster (Deployment, Service, Ingress, env and TLS Secrets threesix labelled). Project, repository, DNS and " +
    'releases stay; deploy brings it back.',
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    confirm: z.string().max(100).describe('The project name'),
    dryRun,
  }),
  output: () => ({ project: z.string(), removed: z.array(z.string()).describe('Kind/name'), dryRun: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const r = await undeployProject(ctx.app, input);
    return {
      summary: r.dryRun
        ? `Dry run: would remove ${r.removed.join(', ') || 'nothing'}.`
        : `Removed ${r.removed.length} objects of ${r.project}.`,
      data: r,
    };
  },
});
