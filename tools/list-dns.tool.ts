import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { listDns } from '../src/services/dns/list-dns.service.js';
import { dnsRecordType, dnsRecordView } from './dns-schemas.js';

export const listDnsTool = defineTool({
  name: 'list_dns',
  title: 'DNS: List Records',
  description:
    "DNS records in the platform zone: threesix's own, or with managedOnly false every record, to see what an upsert_dns CONFLICT hit.",
  toolset: 'dns',
  input: () => ({
    managedOnly: z.boolean().default(true).describe('false: every record in the zone'),
    type: dnsRecordType.optional().describe('Only this type'),
    cursor: z.string().max(100).optional().describe('nextCursor of the previous page'),
    limit: z.number().int().min(1).max(500).default(100).describe('Per page'),
  }),
  output: () => ({
    zone: z.string(),
    provider: z.string(),
    records: z.array(
      dnsRecordView.extend({
        owner: z.string().nullable().describe('From the ownership mark; null if none'),
        managed: z.boolean().describe('This threesix owns it and may change it'),
      }),
    ),
    nextCursor: z.string().optional().describe('Absent on the last page'),
    total: z.number(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await listDns(ctx.app, input);
    const more = result.nextCursor ? ` More: pass cursor "${result.nextCursor}".` : '';
    return {
      summary: `${result.records.length} of ${result.total} ${input.managedOnly ? 'threesix-owned ' : ''}records in ${result.zone}.${more}`,
      data: result,
    };
  },
});
