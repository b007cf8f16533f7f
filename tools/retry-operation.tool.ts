import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { retryOperation } from '../src/services/operations/resume-operation.service.js';
import { operationView } from './schemas.js';

export const retryOperationTool = defineTool({
  name: 'retry_operation',
  title: 'Operations: Retry',
  description:
    'Resume a failed create_project or delete_project operation from the step where it stopped, reusing what earlier steps made ' +
    '(nothing is created twice). Use it after fixing the cause named in the failure. A succeeded operation is returned unchanged. ' +
    'dryRun=true only shows the operation and its steps.',
  toolset: 'project',
  input: () => ({
    id: z.string().uuid().describe('Operation id from a failed call, or from threesix://operations/{id}'),
    dryRun: z.boolean().default(false).describe('Only show the operation; nothing runs'),
  }),
  output: () => operationView,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const op = await retryOperation(ctx.app, input.id, { dryRun: input.dryRun });
    return { summary: `Operation ${op.kind} on ${op.target} is ${op.status}.`, data: op };
  },
});
