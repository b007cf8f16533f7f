/**
 * @module services/domains/host-claims
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * The one claim check every path that gives a project a name or a host runs before its first
 * write: create_project (`<name>.<zone>`), add_domain (the custom domain) and deploy (the hosts its
 * Ingress will serve). Refused: a reserved host (domain/reserved-hosts); a host another project
 * holds in the database (as a custom domain or as its own address); a host any Ingress in the
 * deploy namespace other than this project's serves — ours or someone else's, since two Ingresses
 * with one host split its traffic; and workload objects named for the project (Deployment,
 * Service, Ingress, env Secret) that are not ours. Reads only; the caller writes nothing before it passes.
 * create_project and add_domain hold the host's lock (host-locks.ts) from this check through the
 * row that records the claim, so two claims of one host are decided in turn. deploy needs none:
 * every host it serves is one its row already records (its address, its custom domains).
 */
import { conflict, invalidInput } from '../../domain/errors.js';
import { reservedHostReason } from '../../domain/reserved-hosts.js';
import type { AppContext } from '../shared/app-context.js';

export async function assertProjectClaims(app: AppContext, project: string, hosts: readonly string[]): Promise<void> {
  for (const host of hosts) {
    const reason = reservedHostReason(host, app.config);
    if (reason)
      throw invalidInput(
        `${host} is reserved: ${reason}`,
        'Choose another name; threesix never gives platform hosts to a project',
      );
  }
  for (const host of hosts) await assertNotHeldByProject(app, project, host);
  if (app.backends.deployer.info.mode === 'none') return;
  const deployer = await app.backends.deployer.get();
  // Two independent reads: asked together, they cost one round trip.
  const [foreign, inUse] = await Promise.all([deployer.foreignObjects(project), deployer.hostsInUse()]);
  if (foreign.length > 0) {
    throw conflict(
      `${foreign.join(', ')} in the deploy namespace ${foreign.length > 1 ? 'are' : 'is'} not managed by threesix`,
      'Remove or rename it, or choose another project name; threesix never overwrites it',
    );
  }
  for (const host of hosts) {
    const other = inUse.find((use) => use.host === host && use.project !== project);
    if (!other) continue;
    if (other.project)
      throw conflict(
        `${host} is served by project "${other.project}" (Ingress ${other.ingress})`,
        'A host can serve one project; remove it there first',
      );
    throw conflict(
      `${host} is served by Ingress "${other.ingress}" in the deploy namespace, which threesix does not manage`,
      'Remove the host from that Ingress, or choose another name',
    );
  }
}

async function assertNotHeldByProject(app: AppContext, project: string, host: string): Promise<void> {
  const holder = await app.store.projects.findByDomain(host);
  if (holder && holder.name !== project)
    throw conflict(
      `${host} already serves project "${holder.name}"`,
      'A domain can serve one project; remove it there first',
    );
  // `<label>.<zone>` is the address project <label> has, or would get on create_project.
  const zone = app.config.DEFAULT_DOMAIN;
  const label = host.endsWith(`.${zone}`) ? host.slice(0, -(zone.length + 1)) : null;
  if (label && !label.includes('.') && label !== project && (await app.store.projects.get(label))) {
    throw conflict(`${host} is the address of project "${label}"`, 'Choose another name');
  }
}
