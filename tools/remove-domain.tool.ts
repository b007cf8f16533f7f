import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { removeDomain } from '../src/services/domains/remove-domain.service.js';
import { projectName } from './schemas.js';

export const removeDomainTool = defineTool({
  name: 'remove_domain',
  title: 'Domains: Remove',
  description:
    'Stop serving a project on a custom domain: removes the host from its Ingress and any DNS record threesix made for it; records elsewhere stay with ' +
    'their owner (a warning).',
  toolset: 'domain',
  input: () => ({
    project: projectName,
    domain: z.string().max(253).describe('The custom domain'),
    confirm: z.string().max(253).describe('The domain, to confirm'),
  }),
  output: () => ({
    project: z.string(),
    domain: z.string(),
    removed: z.array(z.string()),
    warnings: z.array(z.string()),
  }),
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
  async handler(input, ctx) {
    const outcome = await removeDomain(ctx.app, input);
    return { summary: `${outcome.domain} no longer serves ${outcome.project}.`, data: outcome };
  },
});
