import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { removeDomain } from '../src/services/domains/remove-domain.service.js';
import { projectName } from './schemas.js';

export const removeDomainTool = defineTool({
  name: 'remove_domain',
  title: 'Domains: Remove',
  description:
    'Stop serving a project on a custom domain added with add_domain: removes the host from its Ingress and, inside threesix\'s own zone, the DNS record threesix made. ' +
    'Records elsewhere are left to their owner (reported as a warning). confirm must equal the domain.',
  toolset: 'domain',
  input: () => ({
    project: projectName,
    domain: z.string().max(253).describe('The custom domain to remove'),
    confirm: z.string().max(253).describe('Must equal the domain exactly, to confirm'),
  }),
  output: () => ({
    project: z.string(),
    domain: z.string(),
    removed: z.array(z.string()).describe('What was removed'),
    warnings: z.array(z.string()).describe('What was left in place'),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler(input, ctx) {
    const outcome = await removeDomain(ctx.app, input);
    return { summary: `${outcome.domain} no longer serves ${outcome.project}.`, data: outcome };
  },
});
