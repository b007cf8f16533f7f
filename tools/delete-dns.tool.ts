import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { deleteDns } from '../src/services/delete-dns.service.js';
import { dnsPlan, dnsRecordType } from './dns-schemas.js';

export const deleteDnsTool = defineTool({
  name: 'delete_dns',
  title: 'DNS: Delete Record',
  description:
    'Delete the DNS record(s) threesix owns at one name and type in the platform zone. Records threesix does not own are never ' +
    'deleted (CONFLICT naming them); platform names are refused. confirm must be the record\'s fully qualified name, e.g. ' +
    '"api.example.com" (the error tells you the exact value). Deleting what is already gone changes nothing. ' +
    'Pass dryRun: true to see the plan without deleting.',
  toolset: 'dns',
  input: () => ({
    name: z.string().max(253).describe('Record name: a label relative to the zone ("app") or an FQDN inside the zone'),
    type: dnsRecordType.describe('Record type to delete at that name: A, AAAA, CNAME or TXT'),
    confirm: z.string().max(253).describe('The record\'s fully qualified name, exactly (e.g. "app.example.com"), to confirm the deletion'),
    dryRun: z.boolean().default(false).describe('Return the plan without deleting anything'),
  }),
  output: () => ({
    fqdn: z.string().describe('The record name, fully qualified'),
    dryRun: z.boolean(),
    changed: z.boolean().describe('Whether anything was deleted'),
    plan: dnsPlan,
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await deleteDns(ctx.app, input);
    const count = result.plan.delete.length;
    const summary = count === 0
      ? `No ${input.type} record threesix owns at ${result.fqdn}; nothing to delete.`
      : result.dryRun ? `Dry run: ${count} ${input.type} record(s) at ${result.fqdn} would be deleted.` : `Deleted ${count} ${input.type} record(s) at ${result.fqdn}.`;
    return { summary, data: { fqdn: result.fqdn, dryRun: result.dryRun, changed: result.changed, plan: result.plan } };
  },
});
