import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { LIST_BUILDS_MAX, listBuilds } from '../src/services/builds/list-builds.service.js';
import { projectName } from './schemas.js';

export const listBuildsTool = defineTool({
  name: 'list_builds',
  title: 'Builds: List',
  description:
    "A project's CI builds, newest first, with the step that failed. Use after a push; build_logs tells why one failed.",
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    limit: z.number().int().min(1).max(LIST_BUILDS_MAX).default(10).describe('How many'),
  }),
  output: () => ({
    project: z.string(),
    builds: z.array(
      z.object({
        number: z.number(),
        status: z.string().describe('pending, running, success, failure, killed, error'),
        event: z.string(),
        branch: z.string(),
        commit: z.string(),
        createdAt: z.string(),
        startedAt: z.string().nullable(),
        finishedAt: z.string().nullable(),
        failedStep: z.string().nullable(),
        webUrl: z.string(),
      }),
    ),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const r = await listBuilds(ctx.app, input.project, input.limit);
    const newest = r.builds[0];
    const about = newest
      ? ` Newest: #${newest.number} ${newest.status}${newest.failedStep ? ` (step ${newest.failedStep} failed)` : ''}.`
      : '';
    return { summary: `${r.builds.length} builds of ${r.project}.${about}`, data: r };
  },
});
