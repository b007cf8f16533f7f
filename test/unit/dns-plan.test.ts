import { describe, expect, it } from 'vitest';
import { assertPlanIsSafe, isEmptyPlan, planDnsChanges } from '../../src/domain/dns-plan.js';
import { DomainError } from '../../src/domain/errors.js';
import type { DesiredRecord, DnsRecord } from '../../src/ports/dns-provider.port.js';

const zone = 'example.com';
const owner = 'me';
let n = 0;
const rec = (name: string, type: string, content: string, recOwner: string | null = owner, ttl = 1): DnsRecord => ({
  id: `id${++n}`,
  name: `${name}.${zone}`,
  type,
  content,
  ttl,
  proxied: false,
  owner: recOwner,
});
const want = (name: string, type: DesiredRecord['type'], content: string, ttl = 1): DesiredRecord => ({
  name: `${name}.${zone}`,
  type,
  content,
  ttl,
  proxied: false,
});

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return (error as DomainError).code;
  }
  return 'none';
}

describe('planDnsChanges', () => {
  it('creates a missing record', () => {
    const plan = planDnsChanges({
      zone,
      owner,
      current: [rec('other', 'A', '1.1.1.1', null)],
      upsert: [want('app', 'A', '10.0.0.1')],
    });
    expect(plan).toEqual({ create: [want('app', 'A', '10.0.0.1')], update: [], delete: [] });
  });

  it('is empty when our record already matches', () => {
    const plan = planDnsChanges({
      zone,
      owner,
      current: [rec('app', 'A', '10.0.0.1')],
      upsert: [want('app', 'A', '10.0.0.1')],
    });
    expect(isEmptyPlan(plan)).toBe(true);
  });

  it('updates our record when content or ttl differ', () => {
    const ours = rec('app', 'A', '10.0.0.1');
    const plan = planDnsChanges({ zone, owner, current: [ours], upsert: [want('app', 'A', '10.0.0.1', 300)] });
    expect(plan.update).toEqual([{ from: ours, to: want('app', 'A', '10.0.0.1', 300) }]);
  });

  it('folds duplicate owned copies into one', () => {
    const [a, b] = [rec('app', 'A', '10.0.0.1'), rec('app', 'A', '10.0.0.2')];
    const plan = planDnsChanges({ zone, owner, current: [a, b], upsert: [want('app', 'A', '10.0.0.1')] });
    expect(plan).toEqual({ create: [], update: [], delete: [b] });
  });

  const conflicts: Array<[string, DnsRecord[], DesiredRecord]> = [
    ['unmarked same name/type', [rec('app', 'A', '9.9.9.9', null)], want('app', 'A', '10.0.0.1')],
    ['other owner same name/type', [rec('app', 'A', '9.9.9.9', 'them')], want('app', 'A', '10.0.0.1')],
    ['CNAME over an unmarked A', [rec('app', 'A', '9.9.9.9', null)], want('app', 'CNAME', 't.example.net')],
    ['A over a foreign CNAME', [rec('app', 'CNAME', 'x.example.net', 'them')], want('app', 'A', '10.0.0.1')],
    ['CNAME over an unmarked TXT', [rec('app', 'TXT', 'hello', null)], want('app', 'CNAME', 't.example.net')],
    [
      'ours plus a foreign copy',
      [rec('app', 'A', '10.0.0.1'), rec('app', 'A', '9.9.9.9', null)],
      want('app', 'A', '10.0.0.1'),
    ],
  ];
  it.each(conflicts)('CONFLICT: %s, naming the existing record', (_why, current, desired) => {
    try {
      planDnsChanges({ zone, owner, current, upsert: [desired] });
      expect.fail('expected CONFLICT');
    } catch (error) {
      expect((error as DomainError).code).toBe('CONFLICT');
      expect((error as DomainError).message).toContain(desired.name);
      expect((error as DomainError).details?.existing).toBeDefined();
    }
  });

  it('lets an unrelated foreign type coexist with an A record', () => {
    const plan = planDnsChanges({
      zone,
      owner,
      current: [rec('app', 'TXT', 'v=spf1', null)],
      upsert: [want('app', 'A', '10.0.0.1')],
    });
    expect(plan.create).toHaveLength(1);
    expect(plan.delete).toHaveLength(0);
  });

  it('replaces our own A with our CNAME', () => {
    const ours = rec('app', 'A', '10.0.0.1');
    const plan = planDnsChanges({ zone, owner, current: [ours], upsert: [want('app', 'CNAME', 't.example.net')] });
    expect(plan).toEqual({ create: [want('app', 'CNAME', 't.example.net')], update: [], delete: [ours] });
  });

  it('removes only what we own, and nothing when absent', () => {
    const ours = rec('app', 'A', '10.0.0.1');
    expect(
      planDnsChanges({
        zone,
        owner,
        current: [ours, rec('app', 'TXT', 'x', null)],
        remove: [{ name: ours.name, type: 'A' }],
      }).delete,
    ).toEqual([ours]);
    expect(isEmptyPlan(planDnsChanges({ zone, owner, current: [], remove: [{ name: ours.name, type: 'A' }] }))).toBe(
      true,
    );
    expect(
      code(() =>
        planDnsChanges({
          zone,
          owner,
          current: [rec('app', 'A', '1.1.1.1', 'them')],
          remove: [{ name: ours.name, type: 'A' }],
        }),
      ),
    ).toBe('CONFLICT');
  });

  it.each([
    'example.com',
    '*.example.com',
    'git.example.com',
    'registry.example.com',
    'ci.example.com',
    'app.other.com',
  ])('never plans a write to %s', (name) => {
    const desired = { name, type: 'A' as const, content: '10.0.0.1', ttl: 1, proxied: false };
    const ownedThere = { ...desired, id: 'x', owner };
    expect(code(() => planDnsChanges({ zone, owner, current: [ownedThere], upsert: [desired] }))).toBe('INVALID_INPUT');
    expect(code(() => planDnsChanges({ zone, owner, current: [ownedThere], remove: [{ name, type: 'A' }] }))).toBe(
      'INVALID_INPUT',
    );
    expect(code(() => assertPlanIsSafe({ create: [], update: [], delete: [ownedThere] }, owner, zone))).toBe(
      'INVALID_INPUT',
    );
  });

  it('assertPlanIsSafe refuses deleting a record owned by someone else', () => {
    expect(
      code(() => assertPlanIsSafe({ create: [], update: [], delete: [rec('app', 'A', '1.1.1.1', null)] }, owner, zone)),
    ).toBe('CONFLICT');
  });
});
