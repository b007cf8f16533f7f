/**
 * @module main/adapter-factories
 * How each backend's adapter is built from configuration. Every adapter module is imported
 * dynamically, so its vendor SDK loads on first use and never on the `initialize` path.
 */
import type { BackendName, Config } from '../config.js';
import type { Logger } from '../ports/logger.port.js';
import type { Backends } from '../services/shared/app-context.js';

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
  git: (config) =>
    config.GITEA_URL && config.GITEA_TOKEN
      ? {
          provider: 'gitea',
          endpoint: config.GITEA_URL,
          build: async () => {
            const { GiteaGitHost } = await import('../adapters/gitea/gitea-git-host.js');
            return new GiteaGitHost({
              url: config.GITEA_URL!,
              token: config.GITEA_TOKEN!,
              org: config.GITEA_DEFAULT_ORG,
              sshHost: config.GITEA_SSH_HOST,
            });
          },
        }
      : null,
  dns: (config) => {
    if (config.configured.dns === 'cloudflare') {
      return {
        provider: 'cloudflare',
        endpoint: config.CLOUDFLARE_API_URL ?? 'https://api.cloudflare.com/client/v4',
        build: async () => {
          const { createCloudflareDnsProvider } = await import('../adapters/cloudflare/cloudflare-dns-provider.js');
          return createCloudflareDnsProvider({
            apiToken: config.CLOUDFLARE_API_TOKEN!,
            zoneId: config.CLOUDFLARE_ZONE_ID!,
            zone: config.DEFAULT_DOMAIN,
            baseURL: config.CLOUDFLARE_API_URL,
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
          return createPowerDnsProvider({
            apiUrl: config.PDNS_API_URL!,
            apiKey: config.PDNS_API_KEY!,
            serverId: config.PDNS_SERVER_ID,
            zone: config.DEFAULT_DOMAIN,
          });
        },
      };
    }
    return null;
  },
  ci: (config) =>
    config.configured.ci
      ? {
          provider: 'woodpecker',
          endpoint: config.WOODPECKER_URL!,
          build: async () => {
            const { WoodpeckerCiServer } = await import('../adapters/woodpecker/woodpecker-ci-server.js');
            return new WoodpeckerCiServer({ baseUrl: config.WOODPECKER_URL!, token: config.WOODPECKER_TOKEN! });
          },
        }
      : null,
  deployer: (config) =>
    config.configured.deployer
      ? {
          provider: 'kubernetes',
          endpoint: config.KUBECONFIG
            ? `kubeconfig ${config.KUBECONFIG} (namespace ${config.DEPLOY_NAMESPACE})`
            : `in-cluster (namespace ${config.DEPLOY_NAMESPACE})`,
          build: async () => {
            const { KubernetesDeployer } = await import('../adapters/kubernetes/kubernetes-deployer.js');
            return new KubernetesDeployer({
              kubeconfig: config.KUBECONFIG,
              namespace: config.DEPLOY_NAMESPACE,
              ingressClass: config.INGRESS_CLASS,
              tlsIssuer: config.DEPLOY_TLS_ISSUER,
              tlsIssuerKind: config.DEPLOY_TLS_ISSUER_KIND,
              tlsSecret: config.DEPLOY_TLS_SECRET,
              resources: {
                cpuRequest: config.DEPLOY_CPU_REQUEST,
                cpuLimit: config.DEPLOY_CPU_LIMIT,
                memoryRequest: config.DEPLOY_MEMORY_REQUEST,
                memoryLimit: config.DEPLOY_MEMORY_LIMIT,
              },
            });
          },
        }
      : null,
  registry: (config) =>
    config.REGISTRY_URL
      ? {
          provider: 'oci',
          endpoint: config.REGISTRY_URL,
          build: async () => {
            const { OciImageRegistry } = await import('../adapters/registry/oci-image-registry.js');
            return new OciImageRegistry({
              url: config.REGISTRY_URL!,
              username: config.REGISTRY_USERNAME,
              password: config.REGISTRY_PASSWORD,
            });
          },
        }
      : null,
};
