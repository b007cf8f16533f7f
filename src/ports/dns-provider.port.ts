/**
 * @module ports/dns-provider
 * DNS records in the zone DEFAULT_DOMAIN. Names are absolute, lowercase, without the trailing dot.
 * Each record reports the owner its ownership mark names (null when unmarked); only records owned by
 * this installation may be updated or deleted, and the pure planner in domain/ decides which.
 */
import type { BackendProbe } from './backend-probe.port.js';

// The record shapes live in the domain (the planner needs them); the port carries them.
export type { DesiredRecord, DnsChanges, DnsRecord, DnsRecordType } from '../domain/dns-record.js';
import type { DnsScope } from '../domain/dns-plan.js';
import type { DnsChanges, DnsRecord } from '../domain/dns-record.js';

export interface DnsProvider extends BackendProbe {
  /** The zone, e.g. "example.com". */
  readonly zone: string;
  /** Provider name, "cloudflare" or "powerdns". */
  readonly provider: string;
  /** All records (following pagination), optionally filtered by exact name and/or type. */
  listRecords(filter?: { name?: string; type?: string }): Promise<DnsRecord[]>;
  /**
   * Applies a plan, marking every written record as owned by `owner`. Returns the records as
   * written. `scope` says which names the plan may touch (domain/dns-plan); project by default.
   */
  applyChanges(changes: DnsChanges, owner: string, scope?: DnsScope): Promise<DnsRecord[]>;
}
