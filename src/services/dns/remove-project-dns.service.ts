/**
 * @module services/remove-project-dns
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * For project deletion: remove every record threesix owns at `<project>.<DEFAULT_DOMAIN>`.
 * Records someone else owns there are left alone (and reported), so deletion never fails on
 * them. Idempotent: nothing owned left means nothing to do.
 */
import { normalizeRecordName } from '../../domain/dns-names.js';
import type { AppContext } from '../shared/app-context.js';
import { recordsAt } from './dns-changes.js';

export interface RemoveProjectDnsResult {
  fqdn: string;
  removed: number;
  /** Records at the name threesix does not own and therefore kept. */
  keptForeign: number;
}

export async function removeProjectDns(app: AppContext, project: string): Promise<RemoveProjectDnsResult> {
  const owner = app.config.THREESIX_OWNER_ID;
  const fqdn = normalizeRecordName(project, app.config.DEFAULT_DOMAIN);
  const dns = await app.backends.dns.get();
  const current = await recordsAt(dns, [fqdn]);
  // Delete exactly our records; a foreign record of the same type beside them is no reason to stop.
  const owned = current.filter((r) => r.owner === owner);
  if (owned.length) await dns.applyChanges({ create: [], update: [], delete: owned }, owner);
  return { fqdn, removed: owned.length, keptForeign: current.length - owned.length };
}
