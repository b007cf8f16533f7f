import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { retryOperation } from '../src/services/operations/resume-operation.service.js';
import { dryRun, operationView } from './schemas.js';

export const retryOperationTool = defineTool({
  name: 'retry_operation',
  title: 'Operations: Retry',
  description:
    'Resume a failed create_project or delete_project from the step where it stopped, reusing what earlier steps made. Use after fixing the cause the ' +
    'failure named.',
  toolset: 'project',
  input: () => ({
    id: z.string().uuid().describe('Operation id from the failed call'),
    dryRun,
  }),
  output: () => operationView,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const op = await retryOperation(ctx.app, input.id, { dryRun: input.dryRun });
    return { summary: `Operation ${op.kind} on ${op.target} is ${op.status}.`, data: op };
  },
});
