import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { upsertDns } from '../src/services/dns/upsert-dns.service.js';
import { dnsPlan, dnsRecordType } from './dns-schemas.js';
import { dryRun } from './schemas.js';

export const upsertDnsTool = defineTool({
  name: 'upsert_dns',
  title: 'DNS: Create or Update Record',
  description:
    "Create a record in the platform zone, or change one threesix owns at that name and type; others' records (CONFLICT names them) and platform names are " +
    'never touched. For extra names and TXT verification.',
  toolset: 'dns',
  input: () => ({
    name: z.string().max(253).describe('Label in the zone ("app") or FQDN inside it'),
    type: dnsRecordType.describe('CNAME not at the apex; TXT up to 2048 characters'),
    content: z.string().max(4096).describe('IPv4 for A, IPv6 for AAAA, hostname for CNAME, text for TXT'),
    ttl: z.number().int().optional().describe('Seconds, 60-86400, or 1 = automatic (default)'),
    proxied: z.boolean().default(false).describe('Cloudflare proxy (A, AAAA, CNAME)'),
    dryRun,
  }),
  output: () => ({
    fqdn: z.string(),
    provider: z.string(),
    dryRun: z.boolean(),
    changed: z.boolean(),
    plan: dnsPlan,
  }),
  // Not destructive: it only adds records or re-points one threesix itself owns (calling it again
  // restores the old value); it never removes or overwrites anyone else's record.
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const result = await upsertDns(ctx.app, input);
    const { create, update } = result.plan;
    const what = create.length ? 'create' : update.length ? 'update' : 'no change';
    const summary = result.dryRun
      ? `Dry run: ${input.type} ${result.fqdn} would be ${what === 'no change' ? 'left as is' : `${what}d`}.`
      : result.changed
        ? `${input.type} ${result.fqdn} ${what === 'create' ? 'created' : 'updated'}.`
        : `${input.type} ${result.fqdn} is already up to date.`;
    return {
      summary,
      data: {
        fqdn: result.fqdn,
        provider: result.provider,
        dryRun: result.dryRun,
        changed: result.changed,
        plan: result.plan,
      },
    };
  },
});
