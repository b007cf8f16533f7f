import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { addDomain } from '../src/services/domains/add-domain.service.js';
import { projectName } from './schemas.js';

export const addDomainTool = defineTool({
  name: 'add_domain',
  title: 'Domains: Add',
  description:
    'Serve a project on a custom domain too: adds it to the project\'s Ingress with TLS and returns the DNS record the domain owner must create ' +
    '(a CNAME to <project>.<zone>, or an A record to the cluster IP for an apex) and whether the domain already resolves here. ' +
    'Inside threesix\'s own zone it creates the record itself. Refused with nothing written when the domain is reserved (platform hosts, threesix\'s own), ' +
    'serves another project or another Ingress, or is held by a DNS record threesix does not own. Calling it again is safe. dryRun=true only shows the record and runs the same checks.',
  toolset: 'domain',
  input: () => ({
    project: projectName,
    domain: z.string().max(253).describe('Fully qualified domain, e.g. "www.example.com" (punycode for international names)'),
    dryRun: z.boolean().default(false).describe('Only show what would be done; nothing changes'),
  }),
  output: () => ({
    project: z.string(),
    domain: z.string(),
    dryRun: z.boolean(),
    record: z.object({ name: z.string(), type: z.enum(['A', 'CNAME']), content: z.string() }).describe('The DNS record that must exist'),
    managedByUs: z.boolean().describe('True when threesix created the record itself (domain inside its zone)'),
    resolves: z.boolean().nullable().describe('Whether the domain already points here; null when the lookup timed out'),
    ingress: z.enum(['applied', 'pending-first-deploy', 'not-configured', 'planned']).describe('pending-first-deploy: the first deploy adds the host'),
    url: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const outcome = await addDomain(ctx.app, input);
    const dns = outcome.managedByUs ? 'threesix created the DNS record' : `create ${outcome.record.type} ${outcome.record.name} → ${outcome.record.content} at your DNS provider`;
    const resolves = outcome.resolves ? ' It already resolves here.' : '';
    return { summary: `${outcome.dryRun ? 'Dry run: ' : ''}${outcome.domain} ${outcome.dryRun ? 'would serve' : 'serves'} ${outcome.project}; ${dns}.${resolves}`, data: outcome };
  },
});
