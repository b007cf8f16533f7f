/**
 * @module main/adapter-factories
 * How each backend's adapter is built from configuration. Every adapter module is imported
 * dynamically, so its vendor SDK loads on first use and never on the `initialize` path.
 */
import type { BackendName, Config } from '../config.js';
import type { Logger } from '../ports/logger.port.js';
import type { Backends } from '../services/app-context.js';

type PortOf<K extends BackendName> = Awaited<ReturnType<Backends[K]['get']>>;

export interface AdapterFactory<K extends BackendName> {
  provider: string;
  /** Where the adapter points, without credentials. */
  endpoint: string | null;
  build(): Promise<PortOf<K>>;
}

export type AdapterFactories = {
  [K in BackendName]: (config: Readonly<Config>, logger: Logger) => AdapterFactory<K> | null;
};

export const adapterFactories: AdapterFactories = {
  git: config =>
    config.GITEA_URL && config.GITEA_TOKEN
      ? {
          provider: 'gitea',
          endpoint: config.GITEA_URL,
          build: async () => {
            const { GiteaGitHost } = await import('../adapters/gitea/gitea-git-host.js');
            return new GiteaGitHost({ url: config.GITEA_URL!, token: config.GITEA_TOKEN!, org: config.GITEA_DEFAULT_ORG, sshHost: config.GITEA_SSH_HOST });
          },
        }
      : null,
  dns: config => {
    if (config.configured.dns === 'cloudflare') {
      return {
        provider: 'cloudflare',
        endpoint: config.CLOUDFLARE_API_URL ?? 'https://api.cloudflare.com/client/v4',
        build: async () => {
          const { createCloudflareDnsProvider } = await import('../adapters/cloudflare/cloudflare-dns-provider.js');
          return createCloudflareDnsProvider({
            apiToken: config.CLOUDFLARE_API_TOKEN!, zoneId: config.CLOUDFLARE_ZONE_ID!, zone: config.DEFAULT_DOMAIN, baseURL: config.CLOUDFLARE_API_URL,
          });
        },
      };
    }
    if (config.configured.dns === 'powerdns') {
      return {
        provider: 'powerdns',
        endpoint: config.PDNS_API_URL!,
        build: async () => {
          const { createPowerDnsProvider } = await import('../adapters/powerdns/powerdns-dns-provider.js');
          return createPowerDnsProvider({ apiUrl: config.PDNS_API_URL!, apiKey: config.PDNS_API_KEY!, serverId: config.PDNS_SERVER_ID, zone: config.DEFAULT_DOMAIN });
        },
      };
    }
    return null;
  },
  ci: () => null,
  deployer: () => null,
  registry: () => null,
};
