import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { listReleases } from '../src/services/deploy/list-releases.service.js';
import { releaseSchema } from './deploy-schemas.js';
import { projectName } from './schemas.js';

export const listReleasesTool = defineTool({
  name: 'list_releases',
  title: 'Deploy: List releases',
  description:
    "A project's recorded releases, newest first: image, digest, commit, status and reason. rollback takes a release id.",
  toolset: 'deploy',
  input: () => ({ project: projectName, limit: z.number().int().min(1).max(100).default(50).describe('How many') }),
  output: () => ({ project: z.string(), releases: z.array(releaseSchema) }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async handler(input, ctx) {
    const r = await listReleases(ctx.app, input.project, input.limit);
    return { summary: `${r.releases.length} releases of ${r.project}.`, data: r };
  },
});
