/**
 * `threesix-mcp platform dns [--apply]` as an operator runs it, against a real PowerDNS: the plan's
 * platform names are planned, refused while a foreign record is in the way (nothing written), then
 * written with the ownership mark, and a second run changes nothing; foreign records stay as they
 * were; doctor then resolves every name to the cluster through PowerDNS's own DNS port.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeNameResolver } from '../../src/adapters/node/node-name-resolver.js';
import { runDoctor } from '../../src/main/run-doctor.js';
import { PDNS_PRESENT, startPowerDns, type RunningPowerDns } from '../support/powerdns.js';
import { ensureBuilt, runBuiltCli } from '../support/sandbox-cli.js';
import { tempDir } from '../support/test-app.js';

const ZONE = 'platform.example.com';
const CLUSTER_IP = '203.0.113.10';
const PLATFORM = ['git', 'registry', 'ci', 'threesix', '*'].map((label) => `${label}.${ZONE}.`);

describe.skipIf(!PDNS_PRESENT)('threesix-mcp platform dns (built CLI, real PowerDNS)', () => {
  let pdns: RunningPowerDns;
  let env: Record<string, string>;
  const zoneRrsets = async () =>
    (
      (await (await pdns.api('GET', `/zones/${ZONE}.`)).json()) as {
        rrsets: Array<{
          name: string;
          type: string;
          records: Array<{ content: string }>;
          comments: Array<{ content: string }>;
        }>;
      }
    ).rrsets;
  const rrset = async (name: string, type = 'A') =>
    (await zoneRrsets()).find((r) => r.name === name && r.type === type);
  const foreign = (name: string, content: string) =>
    pdns.api('PATCH', `/zones/${ZONE}.`, {
      rrsets: [{ name, type: 'A', ttl: 300, changetype: 'REPLACE', records: [{ content, disabled: false }] }],
    });
  const platformDns = (...args: string[]) => runBuiltCli(['platform', 'dns', ...args], env);

  beforeAll(async () => {
    ensureBuilt();
    pdns = await startPowerDns(ZONE);
    env = {
      PATH: process.env.PATH ?? '',
      THREESIX_DATA_DIR: tempDir(),
      THREESIX_LOG_LEVEL: 'error',
      PDNS_API_URL: pdns.apiUrl,
      PDNS_API_KEY: pdns.apiKey,
      DEFAULT_DOMAIN: ZONE,
      CLUSTER_IP,
    };
    await foreign(`www.${ZONE}.`, '198.51.100.7');
    await foreign(`registry.${ZONE}.`, '198.51.100.8');
  }, 60_000);
  afterAll(async () => {
    await pdns?.stop();
  });

  it('plans every platform name, reports the foreign record in the way, exits 1 and writes nothing, with or without --apply', async () => {
    const before = JSON.stringify(await zoneRrsets());
    for (const args of [[], ['--apply']]) {
      const { code, stdout } = await platformDns(...args);
      expect(code).toBe(1);
      for (const label of ['git', 'ci', 'threesix', '*'])
        expect(stdout).toMatch(
          new RegExp(
            `^${label.replace('*', '\\*')}\\.${ZONE.replace(/\./g, '\\.')}\\s+A\\s+${CLUSTER_IP}\\s+no\\s+create$`,
            'm',
          ),
        );
      expect(stdout).toMatch(
        new RegExp(`^registry\\.${ZONE.replace(/\./g, '\\.')}\\s+A\\s+${CLUSTER_IP}\\s+no\\s+conflict$`, 'm'),
      );
      expect(stdout).toContain('198.51.100.8');
      expect(stdout).toMatch(/nothing was written/);
    }
    expect(JSON.stringify(await zoneRrsets())).toBe(before);
  });

  it('writes all five names with the ownership mark once nothing is in the way, leaves foreign records alone, and is idempotent', async () => {
    await pdns.api('PATCH', `/zones/${ZONE}.`, {
      rrsets: [{ name: `registry.${ZONE}.`, type: 'A', changetype: 'DELETE' }],
    });
    const applied = await platformDns('--apply');
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/5 to create.*; applied/);
    for (const name of PLATFORM) {
      const written = await rrset(name);
      expect(written?.records.map((r) => r.content)).toEqual([CLUSTER_IP]);
      expect(written?.comments.map((c) => c.content).join(' ')).toContain('threesix:owner=threesix');
    }
    expect((await rrset(`www.${ZONE}.`))?.records.map((r) => r.content)).toEqual(['198.51.100.7']);

    const after = JSON.stringify(await zoneRrsets());
    const again = await platformDns('--apply');
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/0 to create, 0 to update, 5 already right, 0 in conflict; nothing to change/);
    expect(JSON.stringify(await zoneRrsets())).toBe(after);
  });

  it('lets doctor resolve every platform name to the cluster through the DNS server', async () => {
    let output = '';
    const resolver = createNodeNameResolver({ servers: [`127.0.0.1:${pdns.dnsPort}`] });
    await runDoctor({ sandbox: false, env, resolver, write: (text) => void (output += text) });
    for (const name of PLATFORM)
      expect(output).toMatch(
        new RegExp(`^dns\\s+resolves ${name.slice(0, -1).replace(/[.*]/g, '\\$&')}\\s+ok\\s`, 'm'),
      );
    // A name that stops resolving to the cluster is a warning with the fix.
    await foreign(`ci.${ZONE}.`, '198.51.100.9');
    output = '';
    await runDoctor({ sandbox: false, env, resolver, write: (text) => void (output += text) });
    expect(output).toMatch(
      /^dns\s+resolves ci\.platform\.example\.com\s+WARN\s+.*not 203\.0\.113\.10; run `threesix-mcp platform dns`/m,
    );
  });
});
