import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { configureProject } from '../src/services/settings/configure.service.js';
import { projectName } from './schemas.js';
import { settingsOutcome, settingsRollout, settingsSummary } from './settings-schemas.js';

export const configureTool = defineTool({
  name: 'configure',
  title: 'Settings: Health check, resources, port',
  description:
    'Set a project\'s HTTP health check path (a TCP check otherwise), CPU and memory limits and port; "" resets one. A deployed project gets a new release ' +
    'of its running image; later deploys and rollbacks keep them.',
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    healthCheckPath: z.string().max(256).optional().describe('e.g. /healthz'),
    cpu: z.string().max(16).optional().describe('CPU limit, e.g. 250m or 1'),
    memory: z.string().max(16).optional().describe('Memory limit, e.g. 512Mi'),
    port: z.number().int().optional().describe('Container port'),
    dryRun: z.boolean().default(false).describe('Validate only'),
  }),
  output: () => settingsRollout,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const r = await configureProject(
      ctx.app,
      { ...input, actor: ctx.actor },
      { progress: ctx.progress, signal: ctx.signal },
    );
    const data = settingsOutcome(input.project, r);
    return { summary: settingsSummary('Settings', data), data };
  },
});
