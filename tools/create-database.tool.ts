import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { createDatabase } from '../src/services/databases/create-database.service.js';
import { attachedRelease, databaseView } from './database-schemas.js';
import { dryRun, projectName } from './schemas.js';

export const createDatabaseTool = defineTool({
  name: 'create_database',
  title: 'Deploy: Add a PostgreSQL database',
  description:
    'Give a project a PostgreSQL database (CloudNativePG), wait until it is ready, and roll the app out with DATABASE_URL and PG* read from its Secret (the password never appears here). Idempotent; a larger size grows it.',
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    size: z.string().max(20).optional().describe('Storage, e.g. 1Gi (default), up to THREESIX_MAX_DB_STORAGE'),
    version: z.number().int().optional().describe("PostgreSQL major, 13-17; default: the operator's"),
    dryRun,
  }),
  output: () => ({
    project: z.string(),
    status: z.enum(['ready', 'starting', 'dry_run']),
    database: databaseView.nullable(),
    release: attachedRelease,
    dryRun: z.boolean(),
    nextStep: z.string().nullable(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const r = await createDatabase(ctx.app, input, { progress: ctx.progress });
    const rolled = r.release ? `; release #${r.release.id} ${r.release.status}` : '';
    return {
      summary: r.dryRun
        ? `Dry run: database of ${r.project} would be applied.`
        : `Database of ${r.project} is ${r.status}${rolled}.`,
      data: r,
    };
  },
});
