import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { rebuild } from '../src/services/builds/rebuild.service.js';
import { dryRun, projectName } from './schemas.js';

export const rebuildTool = defineTool({
  name: 'rebuild',
  title: 'Builds: Rebuild',
  description:
    "Run a project's CI pipeline again, for the default branch's newest commit or by restarting a build. A green build deploys as a push does.",
  toolset: 'deploy',
  input: () => ({
    project: projectName,
    build: z.number().int().optional().describe('Build to restart; default: build the branch head'),
    dryRun,
  }),
  output: () => ({
    project: z.string(),
    dryRun: z.boolean(),
    build: z.number().nullable().describe('null in a dry run'),
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
    return {
      summary: r.dryRun
        ? `Dry run: would build ${what} of ${r.project}.`
        : `Started build #${r.build} of ${r.project} (${what}); follow it with list_builds.`,
      data: r,
    };
  },
});
