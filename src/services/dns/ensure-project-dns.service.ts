/**
 * @module services/ensure-project-dns
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * For the project lifecycle: make `<project>.<DEFAULT_DOMAIN>` point at the platform (A to
 * CLUSTER_IP, or CNAME to DNS_TARGET; proxied per DNS_PROXIED on Cloudflare). Idempotent: an
 * already-correct record means no write; a record someone else owns there is a CONFLICT.
 */
import { normalizeRecordContent, normalizeRecordName } from '../../domain/dns-names.js';
import type { DesiredRecord, DnsRecord } from '../../ports/dns-provider.port.js';
import type { AppContext } from '../shared/app-context.js';
import { planAndApply, recordsAt } from './dns-changes.js';

export interface ProjectDnsResult {
  fqdn: string;
  changed: boolean;
  /** The records threesix owns at the name afterwards (ids for the project row). */
  records: DnsRecord[];
}

export async function ensureProjectDns(app: AppContext, project: string): Promise<ProjectDnsResult> {
  const { config } = app;
  const fqdn = normalizeRecordName(project, config.DEFAULT_DOMAIN);
  const type = config.DNS_TARGET ? 'CNAME' : 'A';
  const content = normalizeRecordContent(type, config.DNS_TARGET ?? config.CLUSTER_IP, fqdn, config.DEFAULT_DOMAIN);
  const dns = await app.backends.dns.get();
  const desired: DesiredRecord = {
    name: fqdn,
    type,
    content,
    ttl: 1,
    proxied: config.DNS_PROXIED && dns.provider === 'cloudflare',
  };
  const { changed } = await planAndApply(app, dns, { upsert: [desired] }, false);
  const records = (await recordsAt(dns, [fqdn])).filter((r) => r.owner === config.THREESIX_OWNER_ID);
  return { fqdn, changed, records };
}
