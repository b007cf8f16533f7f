/**
 * @module services/projects/project-dns
 * A project's own DNS record, `<name>.<DEFAULT_DOMAIN>`: an A record to CLUSTER_IP, or a CNAME to
 * DNS_TARGET when one is configured. Writes go through the pure planner, so a record someone else
 * owns is a CONFLICT and is never overwritten; removal only ever deletes our own records.
 * (Written against the port until the DNS issue's ensure/remove service lands; the lead reconciles.)
 */
import type { Config } from '../../config.js';
import { planDnsChanges, isEmptyPlan } from '../../domain/dns-plan.js';
import type { DesiredRecord, DnsProvider, DnsRecord } from '../../ports/dns-provider.port.js';

export const projectFqdn = (config: Pick<Config, 'DEFAULT_DOMAIN'>, name: string) => `${name}.${config.DEFAULT_DOMAIN}`;

export function desiredProjectRecord(config: Readonly<Config>, fqdn: string, provider: string): DesiredRecord {
  const ttl = provider === 'cloudflare' ? 1 : 300;
  return config.DNS_TARGET
    ? { name: fqdn, type: 'CNAME', content: config.DNS_TARGET.toLowerCase().replace(/\.$/, ''), ttl, proxied: config.DNS_PROXIED }
    : { name: fqdn, type: 'A', content: config.CLUSTER_IP, ttl, proxied: config.DNS_PROXIED };
}

/** Creates or adopts the record; returns our records at that name afterwards. CONFLICT when someone else holds the name. */
export async function ensureOwnedRecord(dns: DnsProvider, owner: string, desired: DesiredRecord): Promise<DnsRecord[]> {
  const current = await dns.listRecords({ name: desired.name });
  const changes = planDnsChanges({ zone: dns.zone, owner, current, upsert: [desired] });
  if (isEmptyPlan(changes)) return current.filter(r => r.owner === owner && r.type === desired.type);
  await dns.applyChanges(changes, owner);
  return (await dns.listRecords({ name: desired.name })).filter(r => r.owner === owner && r.type === desired.type);
}

/** Deletes our records at `fqdn` (every type); records we do not own are left and reported. */
export async function removeOwnedRecords(dns: DnsProvider, owner: string, fqdn: string): Promise<{ removed: DnsRecord[]; foreign: DnsRecord[] }> {
  const current = await dns.listRecords({ name: fqdn });
  const ours = current.filter(r => r.owner === owner);
  const foreign = current.filter(r => r.owner !== owner);
  if (ours.length > 0) await dns.applyChanges({ create: [], update: [], delete: ours }, owner);
  return { removed: ours, foreign };
}
