/**
 * @module domain/dns-plan
 * The pure planner, after external-dns's plan/registry: from the records that exist, what should
 * exist, and who we are, derive the creates, updates and deletes. Rules:
 * - only records marked as ours are updated or deleted;
 * - a write that would collide with a record someone else owns (or nobody marked) is a CONFLICT
 *   naming that record; we never overwrite;
 * - a CNAME cannot share its name with any other record; our own records in the way are replaced,
 *   anyone else's make it a CONFLICT;
 * - platform names (apex, wildcard, git, registry, ci, threesix) are never touched by project
 *   changes; the operator's `platform dns` command plans in the platform scope, which may write
 *   exactly those names (never the apex) and nothing else.
 * Names and contents are expected normalized (domain/dns-names) before they get here.
 */
import type { DesiredRecord, DnsChanges, DnsRecord, DnsRecordType } from './dns-record.js';
import { conflict, invalidInput } from './errors.js';
import { isPlatformName } from './dns-names.js';

export interface DnsPlanInput {
  zone: string;
  owner: string;
  /** Records at the names concerned (more is fine; the planner filters). */
  current: readonly DnsRecord[];
  /** Records that should exist: one per name and type, replacing what we own there. */
  upsert?: readonly DesiredRecord[];
  /** Name/type pairs that should no longer exist. */
  remove?: ReadonlyArray<{ name: string; type: DnsRecordType }>;
  /** Which names may be written: a project's (default) or the platform's own. */
  scope?: DnsScope;
}

/** `project`: any name in the zone but the platform's; `platform`: only the platform's names. */
export type DnsScope = 'project' | 'platform';

export function planDnsChanges(input: DnsPlanInput): DnsChanges {
  const changes: DnsChanges = { create: [], update: [], delete: [] };
  const deleting = new Set<string>();
  const del = (record: DnsRecord) => {
    if (!deleting.has(record.id)) changes.delete.push(record);
    deleting.add(record.id);
  };
  for (const target of [...(input.upsert ?? []), ...(input.remove ?? [])])
    guardName(target.name, input.zone, input.scope);

  for (const desired of input.upsert ?? []) {
    const atName = input.current.filter((r) => r.name === desired.name);
    const sameType = atName.filter((r) => r.type === desired.type);
    // A CNAME excludes every other type at its name, and any other type excludes a CNAME.
    const inTheWay = atName.filter((r) => r.type !== desired.type && (desired.type === 'CNAME' || r.type === 'CNAME'));
    for (const record of [...sameType, ...inTheWay]) assertOwned(record, input.owner, desired.name);
    for (const record of inTheWay) del(record);
    const [first, ...extra] = sameType;
    // Extra owned copies (a retried create, say) are folded back into one record.
    for (const record of extra) del(record);
    if (!first) changes.create.push({ ...desired });
    else if (!sameRecord(first, desired)) changes.update.push({ from: first, to: { ...desired } });
  }

  for (const target of input.remove ?? []) {
    for (const record of input.current.filter((r) => r.name === target.name && r.type === target.type)) {
      assertOwned(record, input.owner, target.name);
      del(record);
    }
  }
  return changes;
}

export function isEmptyPlan(changes: DnsChanges): boolean {
  return changes.create.length + changes.update.length + changes.delete.length === 0;
}

/** Checks a plan only writes our own, non-platform records: adapters call it before any write. */
export function assertPlanIsSafe(changes: DnsChanges, owner: string, zone: string, scope: DnsScope = 'project'): void {
  for (const name of [...changes.create.map((r) => r.name), ...changes.update.map((u) => u.to.name)])
    guardName(name, zone, scope);
  for (const record of [...changes.update.map((u) => u.from), ...changes.delete]) {
    guardName(record.name, zone, scope);
    assertOwned(record, owner, record.name);
  }
}

function guardName(name: string, zone: string, scope: DnsScope = 'project'): void {
  if (name !== zone && !name.endsWith(`.${zone}`)) throw invalidInput(`"${name}" is outside the zone ${zone}`);
  if (scope === 'platform') {
    // The apex is the zone operator's (mail, verification records): not even the platform command writes it.
    if (name === zone || !isPlatformName(name, zone))
      throw invalidInput(
        `"${name}" is not one of the platform's names`,
        'Project records are written by the project tools',
      );
    return;
  }
  if (isPlatformName(name, zone))
    throw invalidInput(`"${name}" is a platform name and is never changed by threesix`, 'Choose another name');
}

function assertOwned(record: DnsRecord, owner: string, name: string): void {
  if (record.owner === owner) return;
  const whose = record.owner ? `owned by "${record.owner}"` : 'not marked as owned by threesix';
  throw conflict(
    `${name} already has a ${record.type} record (${record.content}) ${whose}; threesix never changes records it does not own`,
    'Choose another name, or ask the zone operator to remove or hand over that record',
    { existing: { id: record.id, name: record.name, type: record.type, content: record.content, owner: record.owner } },
  );
}

function sameRecord(current: DnsRecord, desired: DesiredRecord): boolean {
  return current.content === desired.content && current.ttl === desired.ttl && current.proxied === desired.proxied;
}
