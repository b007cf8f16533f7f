import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { listDns } from '../src/services/list-dns.service.js';
import { dnsRecordType, dnsRecordView } from './dns-schemas.js';

export const listDnsTool = defineTool({
  name: 'list_dns',
  title: 'DNS: List Records',
  description:
    'List DNS records in the platform zone (DEFAULT_DOMAIN), by default only those threesix owns (managedOnly). ' +
    'Set managedOnly: false to see every record, e.g. to find out why upsert_dns reported a CONFLICT. Read-only.',
  toolset: 'dns',
  input: () => ({
    managedOnly: z.boolean().default(true).describe('Only records threesix owns (true, the default) or every record in the zone (false)'),
    type: dnsRecordType.optional().describe('Only records of this type; all types when omitted'),
    cursor: z.string().max(100).optional().describe('nextCursor from the previous page; omit for the first page'),
    limit: z.number().int().min(1).max(500).default(100).describe('Records per page, 1-500'),
  }),
  output: () => ({
    zone: z.string(),
    provider: z.string().describe('DNS provider, e.g. cloudflare or powerdns'),
    records: z.array(
      dnsRecordView.extend({
        owner: z.string().nullable().describe('Owner named by the ownership mark; null when unmarked'),
        managed: z.boolean().describe('True when this threesix installation owns the record and may change it'),
      }),
    ),
    nextCursor: z.string().optional().describe('Pass as cursor to get the next page; absent on the last page'),
    total: z.number().describe('Matching records in all'),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await listDns(ctx.app, input);
    const more = result.nextCursor ? ` More: pass cursor "${result.nextCursor}".` : '';
    return { summary: `${result.records.length} of ${result.total} ${input.managedOnly ? 'threesix-owned ' : ''}records in ${result.zone}.${more}`, data: result };
  },
});
