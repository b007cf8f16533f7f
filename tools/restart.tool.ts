import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { restartProject } from '../src/services/deploy/restart.service.js';
import { dryRun, projectName } from './schemas.js';

export const restartTool = defineTool({
  name: 'restart',
  title: 'Deploy: Restart',
  description:
    "Rolling restart of a project's pods with the same image and settings, one at a time so the site stays up. Follow with deploy_status.",
  toolset: 'deploy',
  input: () => ({ project: projectName, dryRun }),
  output: () => ({ project: z.string(), restarted: z.boolean(), dryRun: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(input, ctx) {
    const r = await restartProject(ctx.app, input.project, { dryRun: input.dryRun });
    return {
      summary: r.restarted
        ? `Restarting ${r.project}; call deploy_status to follow.`
        : `Dry run: ${r.project} would be restarted.`,
      data: r,
    };
  },
});
