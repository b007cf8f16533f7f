import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { createProject } from '../src/services/projects/create-project.service.js';
import { projectName } from './schemas.js';

export const createProjectTool = defineTool({
  name: 'create_project',
  title: 'Projects: Create',
  description:
    'Create a project in one call: reserves the name, creates the git repository with starter files (CI pipeline, Dockerfile, README), ' +
    'adds the configured collaborators and deploy key, activates CI with a deploy token, and creates the DNS name <name>.<zone>. ' +
    'Returns clone URLs, the future live URL and the next step (push to main). Journaled: if a step fails, call it again or retry_operation to resume. ' +
    'dryRun=true returns the plan and changes nothing.',
  toolset: 'project',
  input: () => ({
    name: projectName,
    description: z.string().max(255).optional().describe('One line saying what the project is; shown in the repository'),
    private: z.boolean().default(false).describe('Make the git repository private'),
    dryRun: z.boolean().default(false).describe('Only show what would be done; nothing changes'),
  }),
  output: () => ({
    dryRun: z.boolean(),
    project: z.string(),
    url: z.string().describe('The live URL once the first push has deployed'),
    operationId: z.string().optional().describe('Journal id; read threesix://operations/{id} or pass to retry_operation'),
    resumed: z.boolean().optional().describe('True when an earlier, unfinished creation was resumed'),
    cloneSsh: z.string().nullable().optional(),
    cloneHttp: z.string().nullable().optional(),
    webUrl: z.string().nullable().optional().describe('Repository web page'),
    ciUrl: z.string().nullable().optional().describe('The repository in the CI UI'),
    nextStep: z.string().optional(),
    plan: z.array(z.object({ step: z.string(), action: z.string() })).optional().describe('dryRun only: what each step would do'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async handler(input, ctx) {
    const outcome = await createProject(ctx.app, input, { progress: ctx.progress });
    if (outcome.dryRun) return { summary: `Dry run: creating ${outcome.project} would take ${outcome.plan.length} steps; nothing changed.`, data: outcome };
    return { summary: `Project ${outcome.project} is ready. ${outcome.nextStep} It will be live at ${outcome.url}.`, data: outcome };
  },
});
