/**
 * @module services/dns/dns-changes
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * What every DNS use case shares: read the records at the names concerned, plan with the pure
 * planner, and apply only when not a dry run and the plan is not empty. Also the plan's view.
 */
import { isEmptyPlan, planDnsChanges, type DnsPlanInput } from '../../domain/dns-plan.js';
import type { DesiredRecord, DnsChanges, DnsProvider, DnsRecord } from '../../ports/dns-provider.port.js';
import type { AppContext } from '../shared/app-context.js';

export type RecordView = Pick<DnsRecord, 'name' | 'type' | 'content' | 'ttl' | 'proxied'>;

export interface DnsPlanView {
  create: RecordView[];
  update: Array<{ name: string; type: string; from: RecordView; to: RecordView }>;
  delete: RecordView[];
}

export interface AppliedDnsChanges {
  plan: DnsPlanView;
  changed: boolean;
  /** Records as written (empty on a dry run or an empty plan). */
  written: DnsRecord[];
}

export const recordView = (r: DesiredRecord | DnsRecord): RecordView => ({
  name: r.name,
  type: r.type,
  content: r.content,
  ttl: r.ttl,
  proxied: r.proxied,
});

export function planView(changes: DnsChanges): DnsPlanView {
  return {
    create: changes.create.map(recordView),
    update: changes.update.map((u) => ({
      name: u.to.name,
      type: u.to.type,
      from: recordView(u.from),
      to: recordView(u.to),
    })),
    delete: changes.delete.map(recordView),
  };
}

export async function recordsAt(dns: DnsProvider, names: readonly string[]): Promise<DnsRecord[]> {
  const unique = [...new Set(names)];
  return (await Promise.all(unique.map((name) => dns.listRecords({ name })))).flat();
}

export async function planAndApply(
  app: AppContext,
  dns: DnsProvider,
  request: Pick<DnsPlanInput, 'upsert' | 'remove'>,
  dryRun: boolean,
): Promise<AppliedDnsChanges> {
  const owner = app.config.THREESIX_OWNER_ID;
  const names = [...(request.upsert ?? []), ...(request.remove ?? [])].map((r) => r.name);
  const changes = planDnsChanges({ zone: dns.zone, owner, current: await recordsAt(dns, names), ...request });
  const plan = planView(changes);
  if (dryRun || isEmptyPlan(changes)) return { plan, changed: false, written: [] };
  const written = await dns.applyChanges(changes, owner);
  app.logger.info('dns changes applied', {
    create: changes.create.length,
    update: changes.update.length,
    delete: changes.delete.length,
  });
  return { plan, changed: true, written };
}
