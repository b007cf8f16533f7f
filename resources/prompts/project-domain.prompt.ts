import { z } from 'zod';
import { definePrompt } from '../../src/mcp/define-prompt.js';

export const projectDomainPrompt = definePrompt({
  name: 'project-domain',
  title: 'Add a custom domain',
  description: 'Serve a project on a custom domain and walk the owner through the DNS record it needs.',
  args: {
    name: z.string().describe('Project to serve on the domain'),
    domain: z.string().describe('Fully qualified domain, e.g. "www.example.com"'),
  },
  render: ({ name, domain }) =>
    `Serve the threesix project "${name}" on ${domain}.\n` +
    `1. Call add_domain with project "${name}", domain "${domain}" and dryRun true; show me the DNS record it needs.\n` +
    '2. Call add_domain again without dryRun.\n' +
    '3. If managedByUs is false, tell me exactly which record to create at my DNS provider (type, name, content).\n' +
    `4. If resolves is false, wait for me to create the record, then call add_domain again until it resolves; the certificate follows once it does.`,
});
