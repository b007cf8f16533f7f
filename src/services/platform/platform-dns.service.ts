/**
 * @module services/platform/platform-dns
 * The platform's own DNS names, as the plan's "Initial DNS Records" table lists them: `git`,
 * `registry`, `ci`, `threesix` and the wildcard, each an A record to CLUSTER_IP (or a CNAME to
 * DNS_TARGET). `git` (SSH needs the real address) and `registry` are never proxied; `ci`,
 * `threesix` and the wildcard follow DNS_PROXIED on Cloudflare. The tools never write these names;
 * only the operator's `threesix-mcp platform dns` does, in the platform scope, with the same
 * ownership mark and the same rule: a record someone else owns is reported, never changed. Either
 * every name is writable and the whole plan is applied, or nothing is written.
 */
import type { Config } from '../../config.js';
import { planDnsChanges } from '../../domain/dns-plan.js';
import { isDomainError } from '../../domain/errors.js';
import { PLATFORM_LABELS } from '../../domain/reserved-hosts.js';
import type { DesiredRecord, DnsChanges, DnsProvider } from '../../ports/dns-provider.port.js';
import type { AppContext } from '../shared/app-context.js';
import { recordsAt } from '../dns/dns-changes.js';

export type PlatformDnsAction = 'create' | 'update' | 'ok' | 'conflict';

export interface PlatformDnsEntry {
  name: string;
  type: string;
  content: string;
  proxied: boolean;
  action: PlatformDnsAction;
  /** For a conflict: whose record is in the way. */
  detail?: string;
}

export interface PlatformDnsResult {
  provider: string;
  zone: string;
  entries: PlatformDnsEntry[];
  /** True when --apply wrote the plan; false on a dry run, an empty plan, or any conflict. */
  applied: boolean;
}

/** Labels whose traffic must reach the cluster directly: SSH to git, large layer uploads to the registry. */
const NEVER_PROXIED = new Set(['git', 'registry']);

/** The platform records the configuration asks for, in the plan's table order. */
export function desiredPlatformRecords(config: Readonly<Config>, provider: string): DesiredRecord[] {
  const zone = config.DEFAULT_DOMAIN;
  return [...PLATFORM_LABELS, '*'].map((label) => {
    const proxied = !NEVER_PROXIED.has(label) && config.DNS_PROXIED && provider === 'cloudflare';
    const name = `${label}.${zone}`;
    return config.DNS_TARGET
      ? { name, type: 'CNAME' as const, content: config.DNS_TARGET.toLowerCase().replace(/\.$/, ''), ttl: 1, proxied }
      : { name, type: 'A' as const, content: config.CLUSTER_IP, ttl: 1, proxied };
  });
}

export async function platformDns(app: AppContext, options: { apply: boolean }): Promise<PlatformDnsResult> {
  const dns = await app.backends.dns.get();
  const owner = app.config.THREESIX_OWNER_ID;
  const desired = desiredPlatformRecords(app.config, dns.provider);
  const current = await recordsAt(
    dns,
    desired.map((r) => r.name),
  );
  const combined: DnsChanges = { create: [], update: [], delete: [] };
  const entries = desired.map((record) => {
    const entry = { name: record.name, type: record.type, content: record.content, proxied: record.proxied };
    try {
      // One name at a time, so every conflict is reported rather than only the first.
      const changes = planDnsChanges({ zone: dns.zone, owner, current, upsert: [record], scope: 'platform' });
      combined.create.push(...changes.create);
      combined.update.push(...changes.update);
      combined.delete.push(...changes.delete);
      const action: PlatformDnsAction =
        changes.create.length > 0 ? 'create' : changes.update.length + changes.delete.length > 0 ? 'update' : 'ok';
      return { ...entry, action };
    } catch (error) {
      if (!isDomainError(error) || error.code !== 'CONFLICT') throw error;
      return { ...entry, action: 'conflict' as const, detail: error.message };
    }
  });
  const writable = entries.every((e) => e.action !== 'conflict');
  const pending = entries.some((e) => e.action === 'create' || e.action === 'update');
  const applied = options.apply && writable && pending;
  if (applied) await apply(app, dns, combined, owner);
  return { provider: dns.provider, zone: dns.zone, entries, applied };
}

async function apply(app: AppContext, dns: DnsProvider, changes: DnsChanges, owner: string): Promise<void> {
  await dns.applyChanges(changes, owner, 'platform');
  app.logger.info('platform dns applied', {
    create: changes.create.length,
    update: changes.update.length,
    delete: changes.delete.length,
  });
  await app.store.audit.record({
    actor: 'cli:platform-dns',
    action: 'platform_dns',
    target: dns.zone,
    result: 'ok',
    detail: { names: [...changes.create, ...changes.update.map((u) => u.to)].map((r) => r.name) },
  });
}
