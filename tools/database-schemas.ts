/**
 * The database as create_database, get_project and deploy_status show it (never a Secret value).
 */
import { z } from 'zod';

export const databaseView = z.object({
  engine: z.literal('cloudnative-pg'),
  cluster: z.string(),
  status: z.enum(['ready', 'starting', 'absent']),
  phase: z.string().nullable(),
  version: z.string().nullable(),
  size: z.string().nullable(),
  instances: z.number(),
  readyInstances: z.number(),
  backups: z.boolean(),
  secret: z.string(),
  env: z.array(z.string()).describe('Env vars the app reads from the Secret'),
});

export const attachedRelease = z
  .object({ id: z.number(), status: z.string() })
  .nullable()
  .describe('Release rolling it out');
