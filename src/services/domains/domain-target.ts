/**
 * @module services/domains/domain-target
 * Shared rules for custom domains: which names are acceptable for a project, the record the owner
 * must create, and whether the name already resolves to us.
 */
import { invalidInput, preconditionFailed } from '../../domain/errors.js';
import { isInZone, normalizeFqdn } from '../../domain/fqdn.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { Project } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';
import { withTimeout } from '../shared/with-timeout.js';
import { projectFqdn } from '../projects/project-dns.js';
import { assertProjectClaims } from './host-claims.js';

export interface RequiredRecord {
  name: string;
  type: 'A' | 'CNAME';
  content: string;
}

/**
 * Validates `project` and `domain`, runs the shared claim check (reserved hosts, other projects,
 * every Ingress in the namespace), and returns the project row and the normalized domain. Reads only.
 */
export async function resolveDomainRequest(
  app: AppContext,
  projectName: string,
  domain: string,
): Promise<{ project: Project; fqdn: string; inZone: boolean }> {
  const name = validateProjectName(projectName, app.config.THREESIX_RESERVED_NAMES);
  const fqdn = normalizeFqdn(domain);
  const project = await app.store.projects.require(name);
  if (fqdn === projectFqdn(app.config, name))
    throw invalidInput(`${fqdn} is already the project's own address`, 'Give another domain');
  if (project.state !== 'ready')
    throw preconditionFailed(
      `project "${name}" is ${project.state}`,
      'Wait until it is ready (get_project shows its state)',
    );
  await assertProjectClaims(app, name, [fqdn]);
  return { project, fqdn, inZone: isInZone(fqdn, app.config.DEFAULT_DOMAIN) };
}

/**
 * What the owner must create: a CNAME to the project's own name, or for an apex (where a CNAME is
 * not allowed) an A record to CLUSTER_IP. Apex means two labels here; a public-suffix apex such as
 * example.co.uk is not recognised (documented limitation).
 */
export function requiredRecord(app: AppContext, project: string, fqdn: string): RequiredRecord {
  const apex = fqdn.split('.').length === 2;
  return apex
    ? { name: fqdn, type: 'A', content: app.config.CLUSTER_IP }
    : { name: fqdn, type: 'CNAME', content: projectFqdn(app.config, project) };
}

/** True when the name already points at us, false when it does not, null when the lookup did not answer in time. */
export async function resolvesToUs(app: AppContext, project: string, fqdn: string, ms = 2000): Promise<boolean | null> {
  if (!app.resolver) return null;
  try {
    const { addresses, cnames } = await withTimeout(app.resolver.resolve(fqdn), ms, 'DNS resolution');
    return cnames.includes(projectFqdn(app.config, project)) || addresses.includes(app.config.CLUSTER_IP);
  } catch {
    return null;
  }
}

/**
 * Applies the project's hosts to its Ingress when a workload exists; before the first deploy the deploy takes them from
 * the row.
 */
export async function applyIngressHosts(
  app: AppContext,
  project: string,
  customDomains: string[],
): Promise<'applied' | 'pending-first-deploy' | 'not-configured'> {
  if (app.backends.deployer.info.mode === 'none') return 'not-configured';
  const deployer = await app.backends.deployer.get();
  // Under the project lock, so a deploy in flight cannot apply the old host list over ours.
  return app.locks.run(project, 'changing the domains', app.config.THREESIX_DEPLOY_WAIT_S * 1000, async () => {
    if (!(await deployer.status(project)).exists) return 'pending-first-deploy' as const;
    await deployer.setHosts(project, [projectFqdn(app.config, project), ...customDomains]);
    return 'applied' as const;
  });
}
