/**
 * @module domain/reserved-hosts
 * The one place that says which names never serve a project: the platform's own hosts in the zone
 * (the hosts the shipped Ingresses serve, deployments/k8s/base: git, registry, ci and threesix,
 * where /mcp and the CI webhook live), common service names, the apex and the wildcard, and the
 * hosts of the URLs the operator configured (THREESIX_PUBLIC_URL, GITEA_URL, WOODPECKER_URL,
 * REGISTRY_URL), wherever they are. create_project, add_domain, deploy and the DNS tools all ask here
 * (upsert_dns the platform labels and the configured hosts: other service names are its to write).
 */

/** First labels under the zone that belong to the platform: DNS records there are never written either. */
export const PLATFORM_LABELS: readonly string[] = ['git', 'registry', 'ci', 'threesix'];

/** First labels no project may take (its address would be `<label>.<zone>`). */
export const RESERVED_LABELS: readonly string[] = [
  ...PLATFORM_LABELS,
  'www',
  'api',
  'mail',
  'mcp',
  'admin',
  'ns1',
  'ns2',
];

export interface ReservedHostSettings {
  DEFAULT_DOMAIN: string;
  THREESIX_RESERVED_NAMES: readonly string[];
  THREESIX_PUBLIC_URL?: string | undefined;
  GITEA_URL?: string | undefined;
  WOODPECKER_URL?: string | undefined;
  REGISTRY_URL?: string | undefined;
}

/** The host name of a configured URL (`zot.example.com:5000` and `https://zot.example.com/` both give `zot.example.com`). */
export function hostOfUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    return (
      new URL(/^[a-z]+:\/\//i.test(url) ? url : `https://${url}`).hostname.toLowerCase().replace(/\.$/, '') || null
    );
  } catch {
    return null;
  }
}

/** Why `fqdn` is one of the platform's configured hosts (threesix itself, Gitea, Woodpecker, the registry), or null. */
export function configuredHostReason(fqdn: string, settings: ReservedHostSettings): string | null {
  const urls: Array<[string, string | undefined]> = [
    ['THREESIX_PUBLIC_URL (threesix itself)', settings.THREESIX_PUBLIC_URL],
    ['GITEA_URL', settings.GITEA_URL],
    ['WOODPECKER_URL', settings.WOODPECKER_URL],
    ['REGISTRY_URL', settings.REGISTRY_URL],
  ];
  const match = urls.find(([, url]) => hostOfUrl(url) === fqdn);
  return match ? `it is the host of ${match[0]}` : null;
}

/** Why `fqdn` (normalized, lowercase) can never serve a project, or null when it can. */
export function reservedHostReason(fqdn: string, settings: ReservedHostSettings): string | null {
  const zone = settings.DEFAULT_DOMAIN;
  const configured = configuredHostReason(fqdn, settings);
  if (configured) return configured;
  if (fqdn === zone) return 'it is the zone apex';
  if (!fqdn.endsWith(`.${zone}`)) return null;
  const labels = fqdn.slice(0, -(zone.length + 1)).split('.');
  if (labels.includes('*')) return 'it is a wildcard';
  const first = labels.length === 1 ? labels[0]! : null;
  if (first && RESERVED_LABELS.includes(first)) return `"${first}" is a platform name (${RESERVED_LABELS.join(', ')})`;
  if (first && settings.THREESIX_RESERVED_NAMES.includes(first))
    return `"${first}" is reserved by the operator (THREESIX_RESERVED_NAMES)`;
  return null;
}
