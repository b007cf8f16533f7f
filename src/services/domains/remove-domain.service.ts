/**
 * @module services/domains/remove-domain
 * remove_domain: stop serving a custom domain. The Ingress loses the host first, then our own
 * record (inside our zone) goes, then the row; records we do not own are never touched.
 */
import { notFound, requireConfirm } from '../../domain/errors.js';
import { normalizeFqdn } from '../../domain/fqdn.js';
import { validateProjectName } from '../../domain/project-name.js';
import { isInZone } from '../../domain/fqdn.js';
import type { AppContext } from '../shared/app-context.js';
import { removeOwnedRecords } from '../projects/project-dns.js';
import { applyIngressHosts } from './domain-target.js';

export interface RemoveDomainOutcome {
  project: string;
  domain: string;
  removed: string[];
  warnings: string[];
}

export async function removeDomain(
  app: AppContext,
  request: { project: string; domain: string; confirm: string },
): Promise<RemoveDomainOutcome> {
  const name = validateProjectName(request.project, app.config.THREESIX_RESERVED_NAMES);
  const fqdn = normalizeFqdn(request.domain);
  requireConfirm(fqdn, request.confirm.trim().toLowerCase().replace(/\.$/, ''));
  const project = await app.store.projects.require(name);
  if (!project.customDomains.includes(fqdn))
    throw notFound(`${fqdn} is not a custom domain of "${name}"`, 'get_project lists its domains');
  const customDomains = project.customDomains.filter((d) => d !== fqdn);
  const removed: string[] = [];
  const warnings: string[] = [];
  if ((await applyIngressHosts(app, name, customDomains)) === 'applied') removed.push(`Ingress host ${fqdn}`);
  if (isInZone(fqdn, app.config.DEFAULT_DOMAIN) && app.backends.dns.info.mode !== 'none') {
    const result = await removeOwnedRecords(await app.backends.dns.get(), app.config.THREESIX_OWNER_ID, fqdn);
    removed.push(...result.removed.map((r) => `DNS ${r.type} ${r.name}`));
    warnings.push(
      ...result.foreign.map((r) => `DNS ${r.type} ${r.name} is not owned by threesix and was left in place`),
    );
  } else {
    warnings.push(`remove the DNS record for ${fqdn} at its DNS provider if it is no longer needed`);
  }
  await app.store.projects.update(name, { customDomains });
  app.events.projectChanged(name);
  return { project: name, domain: fqdn, removed, warnings };
}
