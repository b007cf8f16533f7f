import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { reconcile } from '../src/services/reconcile/reconcile.service.js';
import { projectName } from './schemas.js';

export const reconcileTool = defineTool({
  name: 'reconcile',
  title: 'Projects: Reconcile',
  description:
    "Compare threesix's records with git, CI, DNS, the cluster and databases and report drift (missing, foreign, misdirected, orphaned, unmarked). With " +
    'repair it re-creates what is missing and removes orphans except repositories.',
  toolset: 'project',
  input: () => ({
    project: projectName.optional().describe('Only this one (no orphan search); default: all'),
    repair: z.boolean().default(false).describe('Fix what can be fixed'),
    confirm: z.string().max(100).optional().describe('With repair: the project name, or "all"'),
  }),
  output: () => ({
    checked: z.number(),
    backends: z.record(z.string(), z.string()).describe('ok, not_configured or why not listed'),
    drift: z.array(
      z.object({
        project: z.string(),
        backend: z.enum(['git', 'ci', 'dns', 'deployer', 'database']),
        kind: z.enum(['missing', 'foreign', 'pointing_elsewhere', 'orphan', 'unmarked']),
        detail: z.string(),
        ref: z.string().optional().describe('DNS record id or CI repository id of an orphan'),
        repaired: z.boolean(),
        repairError: z.string().optional(),
      }),
    ),
    operations: z.array(z.string()),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const outcome = await reconcile(ctx.app, input);
    const repaired = outcome.drift.filter((d) => d.repaired).length;
    const fixed = input.repair
      ? ` ${repaired} repaired.`
      : outcome.drift.length
        ? ' Call again with repair=true to fix.'
        : '';
    return {
      summary: `Checked ${outcome.checked} project(s): ${outcome.drift.length} drift item(s).${fixed}`,
      data: outcome,
    };
  },
});
