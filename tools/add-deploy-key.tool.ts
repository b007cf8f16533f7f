import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { addDeployKey } from '../src/services/repos/add-deploy-key.service.js';
import { dryRun, projectName } from './schemas.js';

export const addDeployKeyTool = defineTool({
  name: 'add_deploy_key',
  title: 'Repositories: Add deploy key',
  description:
    "Add an SSH public key as a deploy key to a project's repository, so a machine can clone (and push if readOnly is false). Only on repositories threesix " +
    'made.',
  toolset: 'repo',
  input: () => ({
    project: projectName,
    title: z.string().max(100).describe('Label, e.g. "ci"'),
    publicKey: z.string().max(16384).describe('One-line OpenSSH public key (never a private key)'),
    readOnly: z.boolean().default(true).describe('false also allows push'),
    dryRun,
  }),
  output: () => ({
    fullName: z.string(),
    key: z.object({
      id: z.number().nullable().describe('null in a dry run'),
      title: z.string(),
      readOnly: z.boolean(),
      type: z.string(),
    }),
    dryRun: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await addDeployKey(ctx.app, input);
    const mode = result.key.readOnly ? 'read-only' : 'read-write';
    return {
      summary: `${result.dryRun ? 'Would add' : 'Added'} ${mode} deploy key "${result.key.title}" to ${result.fullName}.`,
      data: result,
    };
  },
});
