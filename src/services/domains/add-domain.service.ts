/**
 * @module services/domains/add-domain
 * add_domain: serve a project on a custom domain. The row is updated first (so a deploy picks the
 * host up), then the Ingress gets the host with TLS, and inside our own zone the CNAME is created
 * as ours. Every part is idempotent: calling again finishes what an interrupted call started.
 */
import type { AppContext } from '../app-context.js';
import { ensureDomainCname, projectFqdn } from '../projects/project-dns.js';
import { applyIngressHosts, requiredRecord, resolveDomainRequest, resolvesToUs, type RequiredRecord } from './domain-target.js';

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

export async function addDomain(app: AppContext, request: { project: string; domain: string; dryRun?: boolean }): Promise<AddDomainOutcome> {
  const { project, fqdn, inZone } = await resolveDomainRequest(app, request.project, request.domain);
  const record = inZone ? { name: fqdn, type: 'CNAME' as const, content: projectFqdn(app.config, project.name) } : requiredRecord(app, project.name, fqdn);
  const base = { project: project.name, domain: fqdn, record, managedByUs: inZone, url: `https://${fqdn}` };
  if (request.dryRun) return { ...base, dryRun: true, resolves: await resolvesToUs(app, project.name, fqdn), ingress: 'planned' };

  const customDomains = project.customDomains.includes(fqdn) ? project.customDomains : [...project.customDomains, fqdn];
  await app.store.projects.update(project.name, { customDomains });
  const ingress = await applyIngressHosts(app, project.name, customDomains);
  if (inZone) {
    await ensureDomainCname(app, await app.backends.dns.get(), fqdn, project.name);
  }
  app.events.projectChanged(project.name);
  return { ...base, dryRun: false, resolves: await resolvesToUs(app, project.name, fqdn), ingress };
}
