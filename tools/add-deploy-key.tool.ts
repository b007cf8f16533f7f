import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { addDeployKey } from '../src/services/add-deploy-key.service.js';
import { dryRun, projectName } from './schemas.js';

export const addDeployKeyTool = defineTool({
  name: 'add_deploy_key',
  title: 'Repositories: Add deploy key',
  description:
    'Add an SSH public key as a deploy key to a project\'s repository, read-only by default, so a machine can clone (or push, with readOnly false). ' +
    'Repeating with the same title and key returns the existing key. Only on repositories threesix created. Changes access unless dryRun is true.',
  toolset: 'repo',
  input: () => ({
    project: projectName,
    title: z.string().max(100).describe('Label for the key, e.g. "ci"'),
    publicKey: z.string().max(16384).describe('One-line OpenSSH public key, e.g. "ssh-ed25519 AAAA… comment" (never a private key)'),
    readOnly: z.boolean().default(true).describe('Allow clone only (true) or also push (false)'),
    dryRun,
  }),
  output: () => ({
    fullName: z.string().describe('owner/name of the repository'),
    key: z.object({
      id: z.number().nullable().describe('Gitea key id; null in a dry run'),
      title: z.string(),
      readOnly: z.boolean(),
      type: z.string().describe('Key type, e.g. ssh-ed25519'),
    }),
    dryRun: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await addDeployKey(ctx.app, input);
    const mode = result.key.readOnly ? 'read-only' : 'read-write';
    return { summary: `${result.dryRun ? 'Would add' : 'Added'} ${mode} deploy key "${result.key.title}" to ${result.fullName}.`, data: result };
  },
});
