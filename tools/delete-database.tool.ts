import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { deleteDatabase } from '../src/services/databases/delete-database.service.js';
import { attachedRelease } from './database-schemas.js';
import { dryRun, projectName } from './schemas.js';

export const deleteDatabaseTool = defineTool({
  name: 'delete_database',
  title: 'Deploy: Delete the database',
  description:
    "Delete a project's PostgreSQL database with all its data (backups in the object store stay) and roll the app out without it.",
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    confirm: z.string().max(100).describe('The project name'),
    dryRun,
  }),
  output: () => ({ project: z.string(), removed: z.array(z.string()), release: attachedRelease, dryRun: z.boolean() }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler(input, ctx) {
    const r = await deleteDatabase(ctx.app, input);
    return {
      summary: `${r.dryRun ? 'Dry run: would remove' : 'Removed'} ${r.removed.join(', ') || 'nothing'}.`,
      data: r,
    };
  },
});
