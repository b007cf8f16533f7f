/**
 * The "done when" scenario for the DNS tools, run on each backend by dns-tools.test.ts: a zone
 * seeded with 100 records threesix does not own stays byte-identical through a sequence of tool
 * calls made by a real MCP client, while threesix creates, updates and deletes its own records.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'vitest';
import type { DnsRecord } from '../../src/ports/dns-provider.port.js';
import type { AppContext } from '../../src/services/shared/app-context.js';
import { connectInMemory } from '../support/in-memory-client.js';

export const ZONE = 'example.test';
export type Foreign = Omit<DnsRecord, 'id'>;

/** 100 records: the platform's five, three at names the scenario aims at, and 92 more. */
export function foreignRecords(): Foreign[] {
  const rec = (name: string, type: string, content: string, owner: string | null = null, ttl = 300): Foreign => ({
    name: name ? `${name}.${ZONE}` : ZONE,
    type,
    content,
    ttl,
    proxied: false,
    owner,
  });
  const records = [
    rec('', 'A', '203.0.113.1'),
    rec('*', 'A', '203.0.113.1'),
    rec('git', 'A', '203.0.113.2'),
    rec('registry', 'A', '203.0.113.3'),
    rec('ci', 'A', '203.0.113.4'),
    rec('taken', 'A', '198.51.100.7'),
    rec('alias-taken', 'CNAME', 'elsewhere.example.net', 'other-installation'),
    rec('shared', 'TXT', 'site-verification=abc'),
  ];
  for (let i = 0; records.length < 100; i++) {
    const owner = i % 3 === 0 ? 'someone-else' : null;
    const kind = i % 4;
    if (kind === 0) records.push(rec(`host-${i}`, 'A', `198.51.100.${i + 10}`, owner, 60 + i));
    if (kind === 1) records.push(rec(`host-${i}`, 'AAAA', `2001:db8::${(i + 1).toString(16)}`, owner));
    if (kind === 2) records.push(rec(`host-${i}`, 'CNAME', `target-${i}.example.net`, owner, 3600));
    if (kind === 3) records.push(rec(`host-${i}`, 'TXT', `note ${i} "quoted"`, owner, 1200));
  }
  return records;
}

export interface Tools {
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult>;
  close(): Promise<void>;
}

export async function connectTools(app: AppContext): Promise<Tools> {
  const client = await connectInMemory(app);
  return {
    call: async (name, args) => (await client.callTool({ name, arguments: args })) as CallToolResult,
    close: () => client.close(),
  };
}

const text = (r: CallToolResult) => r.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');

export async function expectCode(
  tools: Tools,
  name: string,
  args: Record<string, unknown>,
  code: string,
): Promise<string> {
  const result = await tools.call(name, args);
  expect(result.isError, `${name} ${JSON.stringify(args)} -> ${text(result)}`).toBe(true);
  expect(text(result)).toMatch(new RegExp(`^${code}: `));
  return text(result);
}

/** The structured answer of a call that must succeed, typed as the shape the caller reads. */
export async function expectOk<T = Record<string, unknown>>(
  tools: Tools,
  name: string,
  args: Record<string, unknown>,
): Promise<T> {
  const result = await tools.call(name, args);
  expect(result.isError, `${name} ${JSON.stringify(args)} -> ${text(result)}`).toBeFalsy();
  return result.structuredContent as T;
}

/**
 * The sequence. `snapshot` returns the foreign records in the backend's own wire form; `resolve`
 * (PowerDNS) answers with a real DNS query.
 */
export async function runDnsScenario(
  tools: Tools,
  snapshot: () => Promise<string>,
  resolve?: (name: string) => Promise<string[]>,
): Promise<void> {
  const before = await snapshot();
  const fq = (label: string) => `${label}.${ZONE}`;
  const owned = async () =>
    (await expectOk<{ records: Array<{ name: string; type: string; content: string }> }>(tools, 'list_dns', {}))
      .records;

  expect(await owned()).toEqual([]);
  const everything: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = await expectOk<{ records: unknown[]; nextCursor?: string }>(tools, 'list_dns', {
      managedOnly: false,
      limit: 40,
      ...(cursor ? { cursor } : {}),
    });
    everything.push(...page.records);
    cursor = page.nextCursor;
  } while (cursor);
  expect(everything.length).toBeGreaterThanOrEqual(100);

  // Dry runs plan but write nothing.
  const dry = await expectOk(tools, 'upsert_dns', { name: 'app', type: 'A', content: '192.0.2.10', dryRun: true });
  expect(dry).toMatchObject({
    dryRun: true,
    changed: false,
    plan: { create: [{ name: fq('app'), content: '192.0.2.10' }] },
  });
  expect(await owned()).toEqual([]);

  expect(await expectOk(tools, 'upsert_dns', { name: 'app', type: 'A', content: '192.0.2.10' })).toMatchObject({
    changed: true,
    fqdn: fq('app'),
  });
  if (resolve) expect(await resolve(fq('app'))).toEqual(['192.0.2.10']);
  expect(await expectOk(tools, 'upsert_dns', { name: fq('app'), type: 'A', content: '192.0.2.10' })).toMatchObject({
    changed: false,
  });
  expect(
    await expectOk(tools, 'upsert_dns', { name: 'APP', type: 'A', content: '192.0.2.11', ttl: 300 }),
  ).toMatchObject({ changed: true, plan: { update: [{ to: { content: '192.0.2.11', ttl: 300 } }] } });
  if (resolve) expect(await resolve(fq('app'))).toEqual(['192.0.2.11']);
  await expectOk(tools, 'upsert_dns', { name: 'six', type: 'AAAA', content: '2001:DB8:0::10' });
  await expectOk(tools, 'upsert_dns', { name: 'alias', type: 'CNAME', content: 'app.example.test.' });
  await expectOk(tools, 'upsert_dns', { name: '_verify', type: 'TXT', content: 'token "x" = 1' });
  await expectOk(tools, 'upsert_dns', { name: 'shared', type: 'A', content: '192.0.2.12' });

  // Collisions with records threesix does not own: CONFLICT naming the record, nothing written.
  expect(
    await expectCode(tools, 'upsert_dns', { name: 'taken', type: 'A', content: '192.0.2.13' }, 'CONFLICT'),
  ).toContain('198.51.100.7');
  expect(
    await expectCode(tools, 'upsert_dns', { name: 'alias-taken', type: 'A', content: '192.0.2.13' }, 'CONFLICT'),
  ).toContain('other-installation');
  await expectCode(tools, 'upsert_dns', { name: 'shared', type: 'CNAME', content: 'x.example.net' }, 'CONFLICT');
  await expectCode(tools, 'delete_dns', { name: 'taken', type: 'A', confirm: fq('taken') }, 'CONFLICT');
  await expectCode(tools, 'delete_dns', { name: 'host-0', type: 'A', confirm: fq('host-0') }, 'CONFLICT');

  // Bad input and platform names: INVALID_INPUT before any backend call.
  const bad: Array<Record<string, unknown>> = [
    { name: 'git', type: 'A', content: '192.0.2.1' },
    { name: '@', type: 'A', content: '192.0.2.1' },
    { name: '*', type: 'A', content: '192.0.2.1' },
    { name: ZONE, type: 'TXT', content: 'x' },
    { name: 'app.other.com', type: 'A', content: '192.0.2.1' },
    { name: 'x', type: 'A', content: 'app.example.test' },
    { name: 'x', type: 'TXT', content: 'y'.repeat(2049) },
    { name: 'x', type: 'A', content: '192.0.2.1', ttl: 5 },
    { name: 'x', type: 'AAAA', content: '1.2.3.4' },
    { name: 'x', type: 'CNAME', content: 'not a host' },
    { name: 'registry', type: 'TXT', content: 'x' },
  ];
  for (const args of bad) await expectCode(tools, 'upsert_dns', args, 'INVALID_INPUT');
  await expectCode(tools, 'delete_dns', { name: 'app', type: 'A', confirm: 'app' }, 'INVALID_INPUT');
  await expectCode(tools, 'delete_dns', { name: 'ci', type: 'A', confirm: fq('ci') }, 'INVALID_INPUT');

  const mine = await owned();
  expect(mine.map((r) => `${r.name} ${r.type} ${r.content}`).sort()).toEqual([
    `_verify.${ZONE} TXT token "x" = 1`,
    `alias.${ZONE} CNAME app.example.test`,
    `app.${ZONE} A 192.0.2.11`,
    `shared.${ZONE} A 192.0.2.12`,
    `six.${ZONE} AAAA 2001:db8::10`,
  ]);

  expect(
    await expectOk(tools, 'delete_dns', { name: 'app', type: 'A', confirm: fq('app'), dryRun: true }),
  ).toMatchObject({ changed: false, plan: { delete: [{ name: fq('app') }] } });
  expect(await owned()).toHaveLength(5);
  for (const [name, type] of [
    ['app', 'A'],
    ['six', 'AAAA'],
    ['alias', 'CNAME'],
    ['_verify', 'TXT'],
    ['shared', 'A'],
  ]) {
    expect(await expectOk(tools, 'delete_dns', { name, type, confirm: fq(name!) })).toMatchObject({ changed: true });
  }
  expect(await expectOk(tools, 'delete_dns', { name: 'app', type: 'A', confirm: fq('app') })).toMatchObject({
    changed: false,
  });
  // Gone: now only the zone's foreign wildcard answers for the name.
  if (resolve) expect(await resolve(fq('app'))).toEqual(['203.0.113.1']);
  expect(await owned()).toEqual([]);

  expect(await snapshot()).toBe(before);
}
