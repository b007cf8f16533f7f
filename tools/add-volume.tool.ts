import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { addVolume } from '../src/services/volumes/add-volume.service.js';
import { attachedRelease } from './database-schemas.js';
import { dryRun, projectName } from './schemas.js';

export const addVolumeTool = defineTool({
  name: 'add_volume',
  title: 'Deploy: Add a persistent volume',
  description:
    "Mount a persistent volume (ReadWriteOnce) at a path in a project's container and roll the app out with it. A project with volumes runs one pod, replaced (not rolled) on deploys.",
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    path: z.string().max(200).describe('Absolute mount path, e.g. /data'),
    size: z.string().max(20).optional().describe('e.g. 1Gi (default), up to THREESIX_MAX_VOLUME'),
    dryRun,
  }),
  output: () => ({
    project: z.string(),
    volume: z
      .object({ claim: z.string(), path: z.string(), size: z.string().nullable(), phase: z.string().nullable() })
      .nullable(),
    release: attachedRelease,
    dryRun: z.boolean(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const r = await addVolume(ctx.app, input);
    return {
      summary: r.dryRun
        ? `Dry run: ${input.path} would be mounted.`
        : `Volume at ${input.path} of ${r.project}${r.release ? `; release #${r.release.id} ${r.release.status}` : ''}.`,
      data: r,
    };
  },
});
