import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { createProject } from '../src/services/projects/create-project.service.js';
import { dryRun, projectName } from './schemas.js';

export const createProjectTool = defineTool({
  name: 'create_project',
  title: 'Projects: Create',
  description:
    'Create a project in one call: a git repository with starter files (CI pipeline, Dockerfile, README), collaborators, deploy key, CI with a deploy token ' +
    'and the DNS name <name>.<zone>. Returns clone URLs, the live URL and the next step. A repeat call resumes a failed step; steps are sent as progress.',
  toolset: 'project',
  input: () => ({
    name: projectName,
    description: z.string().max(255).optional().describe('One line, shown in the repository'),
    private: z.boolean().default(false).describe('Private repository'),
    dryRun,
  }),
  output: () => ({
    dryRun: z.boolean(),
    project: z.string(),
    url: z.string().describe('Live once the first push deployed'),
    operationId: z.string().optional(),
    resumed: z.boolean().optional(),
    cloneSsh: z.string().nullable().optional(),
    cloneHttp: z.string().nullable().optional(),
    webUrl: z.string().nullable().optional(),
    ciUrl: z.string().nullable().optional(),
    nextStep: z.string().optional(),
    plan: z
      .array(z.object({ step: z.string(), action: z.string() }))
      .optional()
      .describe('Dry run only'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(input, ctx) {
    const outcome = await createProject(ctx.app, input, { progress: ctx.progress });
    if (outcome.dryRun)
      return {
        summary: `Dry run: creating ${outcome.project} would take ${outcome.plan.length} steps; nothing changed.`,
        data: outcome,
      };
    return {
      summary: `Project ${outcome.project} is ready. ${outcome.nextStep} It will be live at ${outcome.url}.`,
      data: outcome,
    };
  },
});
