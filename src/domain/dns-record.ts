/**
 * @module domain/dns-record
 * DNS records in domain terms: what the planner reasons about and the DnsProvider port carries.
 * Names are absolute, lowercase, without the trailing dot.
 */

export type DnsRecordType = 'A' | 'AAAA' | 'CNAME' | 'TXT';

export interface DnsRecord {
  /** Provider id (Cloudflare record id; PowerDNS "<name>/<type>/<content>"). */
  id: string;
  name: string;
  /** Other types may exist in the zone; threesix only ever writes DnsRecordType. */
  type: string;
  content: string;
  /** Seconds; 1 means automatic (Cloudflare). */
  ttl: number;
  proxied: boolean;
  /** Owner id from the ownership mark, or null when the record carries none. */
  owner: string | null;
}

export interface DesiredRecord {
  name: string;
  type: DnsRecordType;
  content: string;
  ttl: number;
  proxied: boolean;
}

export interface DnsChanges {
  create: DesiredRecord[];
  update: Array<{ from: DnsRecord; to: DesiredRecord }>;
  delete: DnsRecord[];
}
