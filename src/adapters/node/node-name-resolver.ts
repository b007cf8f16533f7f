/**
 * @module adapters/node/node-name-resolver
 * NameResolver on node:dns with a short timeout and one retry, so a dead resolver costs seconds,
 * not a minute.
 */
import { Resolver } from 'node:dns/promises';
import type { NameResolver, Resolution } from '../../ports/name-resolver.port.js';

export function createNodeNameResolver(options: { timeoutMs?: number; servers?: string[] } = {}): NameResolver {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 1500, tries: 1 });
  // Tests (and operators checking an authoritative server directly) name the servers to ask.
  if (options.servers) resolver.setServers(options.servers);
  const quiet = async (lookup: Promise<string[]>) => lookup.catch(() => [] as string[]);
  return {
    async resolve(fqdn: string): Promise<Resolution> {
      const [addresses, cnames] = await Promise.all([
        quiet(resolver.resolve4(fqdn)),
        quiet(resolver.resolveCname(fqdn)),
      ]);
      return { addresses, cnames: cnames.map((c) => c.toLowerCase().replace(/\.$/, '')) };
    },
  };
}
