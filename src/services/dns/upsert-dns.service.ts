/**
 * @module services/upsert-dns
 * Create or change one record threesix owns. Input is validated in full before the backend is
 * asked anything; the plan refuses to touch records someone else owns.
 */
import {
  normalizeRecordContent,
  normalizeRecordName,
  validateTtl,
  type WritableRecordType,
} from '../../domain/dns-names.js';
import { invalidInput } from '../../domain/errors.js';
import { configuredHostReason } from '../../domain/reserved-hosts.js';
import type { DesiredRecord } from '../../ports/dns-provider.port.js';
import type { AppContext } from '../shared/app-context.js';
import { planAndApply, type AppliedDnsChanges } from './dns-changes.js';

export interface UpsertDnsInput {
  name: string;
  type: WritableRecordType;
  content: string;
  ttl?: number;
  proxied?: boolean;
  dryRun?: boolean;
}

export interface UpsertDnsResult extends AppliedDnsChanges {
  fqdn: string;
  dryRun: boolean;
  provider: string;
}

export async function upsertDns(app: AppContext, input: UpsertDnsInput): Promise<UpsertDnsResult> {
  const zone = app.config.DEFAULT_DOMAIN;
  const fqdn = normalizeRecordName(input.name, zone);
  // threesix's own host and the platform's configured hosts: a record there would take them over.
  const configured = configuredHostReason(fqdn, app.config);
  if (configured)
    throw invalidInput(
      `${fqdn} is reserved: ${configured}`,
      "threesix never writes DNS for the platform's own hosts; choose another name",
    );
  const content = normalizeRecordContent(input.type, input.content, fqdn, zone);
  const proxied = input.proxied ?? false;
  if (proxied && input.type === 'TXT')
    throw invalidInput('TXT records cannot be proxied', 'Call again with proxied: false');
  // Proxied records are served with automatic TTL; anything else would be silently replaced.
  if (proxied && input.ttl !== undefined && input.ttl !== 1)
    throw invalidInput('proxied records always use ttl 1 (automatic)', 'Omit ttl or pass 1');
  const ttl = validateTtl(input.ttl ?? 1);
  const dns = await app.backends.dns.get();
  if (proxied && dns.provider !== 'cloudflare')
    throw invalidInput(
      `proxied is only supported with Cloudflare, not ${dns.provider}`,
      'Call again with proxied: false',
    );
  const desired: DesiredRecord = { name: fqdn, type: input.type, content, ttl, proxied };
  const dryRun = input.dryRun ?? false;
  return { fqdn, dryRun, provider: dns.provider, ...(await planAndApply(app, dns, { upsert: [desired] }, dryRun)) };
}
