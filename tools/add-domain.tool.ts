import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { addDomain } from '../src/services/domains/add-domain.service.js';
import { dryRun, projectName } from './schemas.js';

export const addDomainTool = defineTool({
  name: 'add_domain',
  title: 'Domains: Add',
  description:
    'Serve a project on a custom domain too: adds it to the Ingress with TLS and returns the DNS record its owner must create (threesix creates it inside ' +
    'its own zone). Refused, nothing written, if the domain is taken or reserved.',
  toolset: 'domain',
  input: () => ({
    project: projectName,
    domain: z.string().max(253).describe('FQDN, punycode for international names'),
    dryRun,
  }),
  output: () => ({
    project: z.string(),
    domain: z.string(),
    dryRun: z.boolean(),
    record: z
      .object({ name: z.string(), type: z.enum(['A', 'CNAME']), content: z.string() })
      .describe('The DNS record needed'),
    managedByUs: z.boolean().describe('threesix made it'),
    resolves: z.boolean().nullable().describe('Points here; null: lookup timed out'),
    ingress: z.enum(['applied', 'pending-first-deploy', 'not-configured', 'planned']),
    url: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const outcome = await addDomain(ctx.app, input);
    const dns = outcome.managedByUs
      ? 'threesix created the DNS record'
      : `create ${outcome.record.type} ${outcome.record.name} → ${outcome.record.content} at your DNS provider`;
    const resolves = outcome.resolves ? ' It already resolves here.' : '';
    return {
      summary: `${outcome.dryRun ? 'Dry run: ' : ''}${outcome.domain} ${outcome.dryRun ? 'would serve' : 'serves'} ${outcome.project}; ${dns}.${resolves}`,
      data: outcome,
    };
  },
});
