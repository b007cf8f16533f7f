import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { reconcile } from '../src/services/reconcile/reconcile.service.js';
import { projectName } from './schemas.js';

export const reconcileTool = defineTool({
  name: 'reconcile',
  title: 'Projects: Reconcile',
  description:
    'Compare what threesix recorded with the git host, CI, DNS and the cluster, using one list call per backend, and report drift: ' +
    'missing objects, names held by someone else (foreign), records pointing elsewhere, and objects marked as threesix\'s that no project owns (orphans). ' +
    'A repository an interrupted create_project made but could not mark yet is reported as unmarked (resume it with retry_operation, or remove it with delete_project). ' +
    'With repair=true it re-creates what is missing through the same idempotent steps as create_project and removes orphaned DNS records, workloads and CI activations of vanished repositories; ' +
    'orphaned repositories are only reported. repair needs confirm (the project name, or "all"). Without repair it changes nothing.',
  toolset: 'project',
  input: () => ({
    project: projectName.optional().describe('Only this project (orphans are then not looked for); all projects when omitted'),
    repair: z.boolean().default(false).describe('Fix what can be fixed; false only reports'),
    confirm: z.string().max(100).optional().describe('With repair=true: the project name, or "all" when no project is given'),
  }),
  output: () => ({
    checked: z.number().describe('Projects compared'),
    backends: z.record(z.string(), z.string()).describe('Per backend: ok, not_configured, or why it could not be listed'),
    drift: z.array(z.object({
      project: z.string(),
      backend: z.enum(['git', 'ci', 'dns', 'deployer', 'database']),
      kind: z.enum(['missing', 'foreign', 'pointing_elsewhere', 'orphan', 'unmarked']),
      detail: z.string(),
      ref: z.string().optional().describe('DNS record id or CI repository id of an orphan'),
      repaired: z.boolean(),
      repairError: z.string().optional(),
    })),
    operations: z.array(z.string()).describe('Repair operation ids (threesix://operations/{id})'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const outcome = await reconcile(ctx.app, input);
    const repaired = outcome.drift.filter(d => d.repaired).length;
    const fixed = input.repair ? ` ${repaired} repaired.` : outcome.drift.length ? ' Call again with repair=true to fix.' : '';
    return { summary: `Checked ${outcome.checked} project(s): ${outcome.drift.length} drift item(s).${fixed}`, data: outcome };
  },
});
