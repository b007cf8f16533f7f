/**
 * @module services/domains/add-domain
 * add_domain: serve a project on a custom domain. Every precondition is checked before the first
 * write (the claim check, the records at the name inside our zone, the project's state); then the
 * row records the host, the in-zone CNAME is created as ours, and the Ingress gets it. All of it
 * runs under the project's lock and the host's (host-locks.ts), so two projects claiming one host
 * at once cannot both pass the check. A later step that fails undoes the earlier ones, so a
 * refused call leaves nothing behind. Every part is idempotent: calling again finishes what an
 * interrupted call started.
 */
import { isEmptyPlan, planDnsChanges } from '../../domain/dns-plan.js';
import type { DesiredRecord, DnsChanges, DnsProvider } from '../../ports/dns-provider.port.js';
import type { AppContext } from '../shared/app-context.js';
import { recordsAt } from '../dns/dns-changes.js';
import { projectFqdn } from '../projects/project-dns.js';
import {
  applyIngressHosts,
  requiredRecord,
  resolveDomainRequest,
  resolvesToUs,
  type RequiredRecord,
} from './domain-target.js';
import { withHostLocks } from './host-locks.js';

export interface AddDomainOutcome {
  project: string;
  domain: string;
  dryRun: boolean;
  /** The record that must exist for the domain to reach the project. */
  record: RequiredRecord;
  /** True: threesix created the record (the domain is in its zone); false: the owner must create it. */
  managedByUs: boolean;
  /** Whether the domain already resolves to us; null when the lookup did not answer in time. */
  resolves: boolean | null;
  ingress: 'applied' | 'pending-first-deploy' | 'not-configured' | 'planned';
  url: string;
}

type Undo = () => Promise<unknown>;

export async function addDomain(
  app: AppContext,
  request: { project: string; domain: string; dryRun?: boolean },
): Promise<AddDomainOutcome> {
  if (request.dryRun) return claimDomain(app, request);
  // Checked once without waiting for any lock, so a refusal (a project still being created, a host
  // held) comes at once; then again under the project's lock and the host's (host-locks.ts), which
  // are held through the row that records the claim: another project adding the same host at
  // once waits, then sees this row.
  const { project, fqdn } = await resolveDomainRequest(app, request.project, request.domain);
  const claimed = await app.locks.run(project.name, 'add_domain', app.config.THREESIX_DEPLOY_WAIT_S * 1000, () =>
    withHostLocks(app, [fqdn], 'add_domain', () => claimDomain(app, request)),
  );
  // The lookup may take seconds: outside the locks.
  return { ...claimed, resolves: await resolvesToUs(app, claimed.project, claimed.domain) };
}

/** Checks and, unless a dry run, writes; `resolves` is filled in by the caller for a real call. */
async function claimDomain(
  app: AppContext,
  request: { project: string; domain: string; dryRun?: boolean },
): Promise<AddDomainOutcome> {
  const { project, fqdn, inZone } = await resolveDomainRequest(app, request.project, request.domain);
  const record = inZone
    ? { name: fqdn, type: 'CNAME' as const, content: projectFqdn(app.config, project.name) }
    : requiredRecord(app, project.name, fqdn);
  const base = { project: project.name, domain: fqdn, record, managedByUs: inZone, url: `https://${fqdn}` };
  // Inside our zone the record is ours to write: NOT_CONFIGURED without DNS, CONFLICT when a record
  // we do not own holds the name, both before anything is written.
  const dns = inZone ? await app.backends.dns.get() : null;
  const cname = dns ? await planDomainCname(app, dns, record) : null;
  if (request.dryRun)
    return { ...base, dryRun: true, resolves: await resolvesToUs(app, project.name, fqdn), ingress: 'planned' };

  const undo: Undo[] = [];
  try {
    // The row first: it records the claim, and the database keeps a host to one project
    // (project_hosts), so a second process that passed the check at the same time stops here,
    // before DNS or Ingress. A deploy reads it only after we let go of the project's lock.
    const before = project.customDomains;
    const customDomains = before.includes(fqdn) ? before : [...before, fqdn];
    if (customDomains !== before) {
      await app.store.projects.update(project.name, { customDomains });
      undo.push(() => app.store.projects.update(project.name, { customDomains: before }));
    }
    if (dns && cname && !isEmptyPlan(cname)) {
      const written = await dns.applyChanges(cname, app.config.THREESIX_OWNER_ID);
      // Only a record this call created is removed again; an update of our own stale record stays.
      const created = written.filter((w) => cname.create.some((c) => c.name === w.name && c.type === w.type));
      if (created.length > 0)
        undo.push(() => dns.applyChanges({ create: [], update: [], delete: created }, app.config.THREESIX_OWNER_ID));
    }
    const ingress = await applyIngressHosts(app, project.name, customDomains);
    app.events.projectChanged(project.name);
    return { ...base, dryRun: false, resolves: null, ingress };
  } catch (error) {
    for (const step of undo.reverse()) {
      await step().catch((cause) =>
        app.logger.warn('add_domain: undoing an earlier step failed', {
          project: project.name,
          domain: fqdn,
          error: String(cause),
        }),
      );
    }
    throw error;
  }
}

async function planDomainCname(app: AppContext, dns: DnsProvider, record: RequiredRecord): Promise<DnsChanges> {
  const desired: DesiredRecord = { ...record, ttl: 1, proxied: false };
  return planDnsChanges({
    zone: dns.zone,
    owner: app.config.THREESIX_OWNER_ID,
    current: await recordsAt(dns, [record.name]),
    upsert: [desired],
  });
}
