/**
 * @module services/delete-dns
 * Delete the record(s) threesix owns at one name and type. `confirm` must be the record's FQDN;
 * records someone else owns there make it a CONFLICT, and nothing is deleted.
 */
import { normalizeRecordName, type WritableRecordType } from '../../domain/dns-names.js';
import { requireConfirm } from '../../domain/errors.js';
import type { AppContext } from '../shared/app-context.js';
import { planAndApply, type AppliedDnsChanges } from './dns-changes.js';

export interface DeleteDnsInput {
  name: string;
  type: WritableRecordType;
  confirm: string;
  dryRun?: boolean;
}

export interface DeleteDnsResult extends AppliedDnsChanges {
  fqdn: string;
  dryRun: boolean;
}

export async function deleteDns(app: AppContext, input: DeleteDnsInput): Promise<DeleteDnsResult> {
  const fqdn = normalizeRecordName(input.name, app.config.DEFAULT_DOMAIN);
  requireConfirm(fqdn, input.confirm);
  const dns = await app.backends.dns.get();
  const dryRun = input.dryRun ?? false;
  return { fqdn, dryRun, ...(await planAndApply(app, dns, { remove: [{ name: fqdn, type: input.type }] }, dryRun)) };
}
