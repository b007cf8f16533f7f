import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { upsertDns } from '../src/services/upsert-dns.service.js';
import { dnsPlan, dnsRecordType } from './dns-schemas.js';

export const upsertDnsTool = defineTool({
  name: 'upsert_dns',
  title: 'DNS: Create or Update Record',
  description:
    'Create a DNS record in the platform zone (DEFAULT_DOMAIN), or change one threesix already owns at that name and type. ' +
    'Records threesix does not own are never changed: a collision fails with CONFLICT naming the existing record. ' +
    'Platform names (the apex, the wildcard, git, registry, ci) are refused. Use it for extra names such as "api.my-app" or a TXT ' +
    'verification record; project records are made by create_project. Pass dryRun: true to see the plan without writing.',
  toolset: 'dns',
  input: () => ({
    name: z.string().max(253).describe('Record name: a label relative to the zone ("app") or an FQDN inside the zone ("app.example.com")'),
    type: dnsRecordType.describe('Record type: A (IPv4), AAAA (IPv6), CNAME (hostname, not at the apex) or TXT (up to 2048 characters)'),
    content: z.string().max(4096).describe('Record value: an IPv4 address for A, IPv6 for AAAA, a hostname for CNAME, text for TXT'),
    ttl: z.number().int().optional().describe('TTL in seconds, 60-86400, or 1 for automatic (the default)'),
    proxied: z.boolean().default(false).describe('Serve through the Cloudflare proxy (Cloudflare only; A, AAAA and CNAME only)'),
    dryRun: z.boolean().default(false).describe('Return the plan without changing anything'),
  }),
  output: () => ({
    fqdn: z.string().describe('The record name, fully qualified'),
    provider: z.string().describe('DNS provider, e.g. cloudflare or powerdns'),
    dryRun: z.boolean(),
    changed: z.boolean().describe('Whether a write happened (false on a dry run or when already up to date)'),
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
      : result.changed ? `${input.type} ${result.fqdn} ${what === 'create' ? 'created' : 'updated'}.` : `${input.type} ${result.fqdn} is already up to date.`;
    return { summary, data: { fqdn: result.fqdn, provider: result.provider, dryRun: result.dryRun, changed: result.changed, plan: result.plan } };
  },
});
