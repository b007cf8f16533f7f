/**
 * Output schema pieces shared by the DNS tools.
 */
import { z } from 'zod';

export const dnsRecordView = z.object({
  name: z.string().describe('FQDN'),
  type: z.string(),
  content: z.string(),
  ttl: z.number().describe('Seconds; 1 = automatic'),
  proxied: z.boolean(),
});

export const dnsPlan = z.object({
  create: z.array(dnsRecordView),
  update: z.array(z.object({ name: z.string(), type: z.string(), from: dnsRecordView, to: dnsRecordView })),
  delete: z.array(dnsRecordView),
});

export const dnsRecordType = z.enum(['A', 'AAAA', 'CNAME', 'TXT']);
