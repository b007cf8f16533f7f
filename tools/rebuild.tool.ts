import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { rebuild } from '../src/services/builds/rebuild.service.js';
import { projectName } from './schemas.js';

export const rebuildTool = defineTool({
  name: 'rebuild',
  title: 'Builds: Rebuild',
  description:
    "Run a project's CI pipeline again: for the default branch's newest commit, or restart a given build. A green build deploys as a push does. " +
    'Returns the new build number; follow it with list_builds.',
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    build: z.number().int().optional().describe('Build number to restart (list_builds); default: a new build of the default branch head'),
    dryRun: z.boolean().default(false).describe('Check only; start nothing'),
  }),
  output: () => ({
    project: z.string(),
    dryRun: z.boolean(),
    build: z.number().nullable().describe('The new build; null on a dry run'),
    restartedFrom: z.number().nullable(),
    status: z.string().nullable(),
    branch: z.string(),
    commit: z.string().nullable(),
    webUrl: z.string().nullable(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(input, ctx) {
    const r = await rebuild(ctx.app, input.project, { build: input.build, dryRun: input.dryRun });
    const what = r.restartedFrom ? `build #${r.restartedFrom} again` : `${r.branch}`;
    return { summary: r.dryRun ? `Dry run: would build ${what} of ${r.project}.` : `Started build #${r.build} of ${r.project} (${what}); follow it with list_builds.`, data: r };
  },
});
