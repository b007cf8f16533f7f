import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { removeVolume } from '../src/services/volumes/remove-volume.service.js';
import { attachedRelease } from './database-schemas.js';
import { dryRun, projectName } from './schemas.js';

export const removeVolumeTool = defineTool({
  name: 'remove_volume',
  title: 'Deploy: Remove a persistent volume',
  description: "Delete a project's volume at a path, with its data, and roll the app out without it.",
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    path: z.string().max(200).describe('The mount path given to add_volume'),
    confirm: z.string().max(100).describe('The project name'),
    dryRun,
  }),
  output: () => ({ project: z.string(), removed: z.array(z.string()), release: attachedRelease, dryRun: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler(input, ctx) {
    const r = await removeVolume(ctx.app, input);
    return {
      summary: `${r.dryRun ? 'Dry run: would remove' : 'Removed'} ${r.removed.join(', ') || 'nothing'}.`,
      data: r,
    };
  },
});
