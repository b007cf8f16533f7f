/**
 * @module main/doctor-platform-dns
 * doctor's rows for the platform's own names: does each of git, registry, ci, threesix and the
 * wildcard (a probe label under it) resolve to the cluster? A WARN, not a FAIL: threesix itself
 * runs without them, but agents cannot push, pull or reach their sites until they do.
 * `threesix-mcp platform dns --apply` creates them.
 */
import type { Config } from '../config.js';
import { isSpecialUseZone } from '../domain/special-use-zone.js';
import type { NameResolver } from '../ports/name-resolver.port.js';
import { desiredPlatformRecords } from '../services/platform/platform-dns.service.js';
import type { DoctorRow } from './doctor-config.js';

export async function platformDnsRows(
  config: Readonly<Config>,
  resolver: NameResolver | undefined,
  provider: string,
): Promise<DoctorRow[]> {
  const zone = config.DEFAULT_DOMAIN;
  if (!resolver) return [];
  if (isSpecialUseZone(zone)) {
    return [
      {
        backend: 'dns',
        check: 'platform names',
        status: 'skip',
        detail: `${zone} is a special-use zone no resolver answers for`,
      },
    ];
  }
  return Promise.all(
    desiredPlatformRecords(config, provider).map(async (record) => {
      // The wildcard is checked through a label nobody would create on purpose.
      const name = record.name.replace(/^\*\./, 'threesix-doctor-probe.');
      const { addresses, cnames } = await resolver.resolve(name);
      const check = `resolves ${record.name}`;
      const fix = 'run `threesix-mcp platform dns` to see the plan, then with --apply';
      if (addresses.length === 0 && cnames.length === 0)
        return { backend: 'dns', check, status: 'WARN' as const, detail: `${name} does not resolve; ${fix}` };
      // Proxied names answer with the CDN's addresses, not the cluster's: resolving at all is what can be checked.
      const atCluster =
        record.proxied ||
        (record.type === 'CNAME' ? cnames.includes(record.content) : addresses.includes(record.content));
      return atCluster
        ? { backend: 'dns', check, status: 'ok' as const, detail: `${name} → ${[...cnames, ...addresses].join(', ')}` }
        : {
            backend: 'dns',
            check,
            status: 'WARN' as const,
            detail: `${name} → ${[...cnames, ...addresses].join(', ')}, not ${record.content}; ${fix}`,
          };
    }),
  );
}
