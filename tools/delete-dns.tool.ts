import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { deleteDns } from '../src/services/dns/delete-dns.service.js';
import { dnsPlan, dnsRecordType } from './dns-schemas.js';
import { dryRun } from './schemas.js';

export const deleteDnsTool = defineTool({
  name: 'delete_dns',
  title: 'DNS: Delete Record',
  description:
    "Delete the records threesix owns at one name and type in the platform zone; others' records (CONFLICT names them) and platform names are never " +
    'deleted.',
  toolset: 'dns',
  input: () => ({
    name: z.string().max(253).describe('Label in the zone ("app") or FQDN inside it'),
    type: dnsRecordType.describe('Record type'),
    confirm: z.string().max(253).describe("The record's FQDN"),
    dryRun,
  }),
  output: () => ({
    fqdn: z.string(),
    dryRun: z.boolean(),
    changed: z.boolean(),
    plan: dnsPlan,
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await deleteDns(ctx.app, input);
    const count = result.plan.delete.length;
    const summary =
      count === 0
        ? `No ${input.type} record threesix owns at ${result.fqdn}; nothing to delete.`
        : result.dryRun
          ? `Dry run: ${count} ${input.type} record(s) at ${result.fqdn} would be deleted.`
          : `Deleted ${count} ${input.type} record(s) at ${result.fqdn}.`;
    return { summary, data: { fqdn: result.fqdn, dryRun: result.dryRun, changed: result.changed, plan: result.plan } };
  },
});
