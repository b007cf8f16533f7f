/**
 * @module services/projects/project-dns
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * The lifecycle's DNS needs on top of the DNS services: the project's own record is made and
 * removed by ensureProjectDns/removeProjectDns; here are the preflight view of that record, the
 * in-zone CNAMEs of custom domains, and removal of our records at any name (foreign ones are kept).
 */
import type { Config } from '../../config.js';
import type { DesiredRecord, DnsProvider, DnsRecord } from '../../ports/dns-provider.port.js';
import type { AppContext } from '../shared/app-context.js';
import { planAndApply, recordsAt } from '../dns/dns-changes.js';

export const projectFqdn = (config: Pick<Config, 'DEFAULT_DOMAIN'>, name: string) => `${name}.${config.DEFAULT_DOMAIN}`;

/** The record ensureProjectDns writes, for plans and drift checks (same type, content, ttl and proxying). */
export function desiredProjectRecord(config: Readonly<Config>, fqdn: string, provider: string): DesiredRecord {
  const proxied = config.DNS_PROXIED && provider === 'cloudflare';
  return config.DNS_TARGET
    ? { name: fqdn, type: 'CNAME', content: config.DNS_TARGET.toLowerCase().replace(/\.$/, ''), ttl: 1, proxied }
    : { name: fqdn, type: 'A', content: config.CLUSTER_IP, ttl: 1, proxied };
}

/**
 * A custom domain inside our zone: a CNAME to the project's own name, owned by us. CONFLICT when someone else holds it.
 */
export async function ensureDomainCname(
  app: AppContext,
  dns: DnsProvider,
  fqdn: string,
  project: string,
): Promise<void> {
  const desired: DesiredRecord = {
    name: fqdn,
    type: 'CNAME',
    content: projectFqdn(app.config, project),
    ttl: 1,
    proxied: false,
  };
  await planAndApply(app, dns, { upsert: [desired] }, false);
}

/** Deletes our records at `fqdn` (every type); records we do not own are left and reported. */
export async function removeOwnedRecords(
  dns: DnsProvider,
  owner: string,
  fqdn: string,
): Promise<{ removed: DnsRecord[]; foreign: DnsRecord[] }> {
  const current = await recordsAt(dns, [fqdn]);
  const ours = current.filter((r) => r.owner === owner);
  if (ours.length > 0) await dns.applyChanges({ create: [], update: [], delete: ours }, owner);
  return { removed: ours, foreign: current.filter((r) => r.owner !== owner) };
}
