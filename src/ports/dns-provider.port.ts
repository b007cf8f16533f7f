/**
 * @module ports/dns-provider
 * DNS records in the zone DEFAULT_DOMAIN. Names are absolute, lowercase, without the trailing dot.
 * Each record reports the owner its ownership mark names (null when unmarked); only records owned by
 * this installation may be updated or deleted, and the pure planner in domain/ decides which.
 */
import type { BackendProbe } from './backend-probe.port.js';

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

export interface DnsProvider extends BackendProbe {
  /** The zone, e.g. "example.com". */
  readonly zone: string;
  /** Provider name, "cloudflare" or "powerdns". */
  readonly provider: string;
  /** All records (following pagination), optionally filtered by exact name and/or type. */
  listRecords(filter?: { name?: string; type?: string }): Promise<DnsRecord[]>;
  /** Applies a plan, marking every written record as owned by `owner`. Returns the records as written. */
  applyChanges(changes: DnsChanges, owner: string): Promise<DnsRecord[]>;
}
