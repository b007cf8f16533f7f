import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { setEnv } from '../src/services/settings/set-env.service.js';
import { projectName } from './schemas.js';
import { settingsOutcome, settingsRollout, settingsSummary } from './settings-schemas.js';

const vars = z.record(z.string(), z.string());

export const setEnvTool = defineTool({
  name: 'set_env',
  title: 'Settings: Set environment variables',
  description:
    "Set or remove a project's environment variables; secret values go only into the cluster Secret. A deployed project gets a new release of its running " +
    'image; later deploys and rollbacks keep them. Removing or replacing a variable needs confirm.',
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    set: vars.optional().describe('Plain NAME: value'),
    secrets: vars.optional().describe('Secret NAME: value; project must be deployed'),
    unset: z.array(z.string()).max(100).optional().describe('Names to remove'),
    confirm: z.string().max(100).optional().describe('The project name'),
  }),
  output: () => settingsRollout,
  // Destructive: unset removes variables and a new secret value replaces the old one for good (threesix keeps no copy).
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const r = await setEnv(ctx.app, { ...input, actor: ctx.actor }, { progress: ctx.progress, signal: ctx.signal });
    const data = settingsOutcome(input.project, r);
    return { summary: settingsSummary('Variables', data), data };
  },
});
