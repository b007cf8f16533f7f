import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { listEnv } from '../src/services/settings/list-env.service.js';
import { projectName } from './schemas.js';

export const listEnvTool = defineTool({
  name: 'list_env',
  title: 'Settings: List environment and settings',
  description:
    "A project's lasting settings: variables with values, secret names (never values), health check path, CPU and memory limits, port.",
  toolset: 'deploy',
  input: () => ({ project: projectName }),
  output: () => ({
    project: z.string(),
    env: z.record(z.string(), z.string()),
    secrets: z.array(z.string()).describe('Names only'),
    healthCheckPath: z.string().nullable().describe('null: TCP check'),
    cpu: z.string(),
    memory: z.string(),
    port: z.number(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const v = await listEnv(ctx.app, input.project);
    const names = [...Object.keys(v.env), ...v.secrets.map((s) => `${s} (secret)`)];
    return {
      summary: `${v.project}: ${names.length ? names.join(', ') : 'no variables'}; port ${v.port}, cpu ${v.cpu}, memory ${v.memory}, health ${v.healthCheckPath ?? 'TCP'}.`,
      data: v,
    };
  },
});
