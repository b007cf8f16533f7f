/**
 * @module main/doctor-config
 * The configuration half of `doctor`: which backends are configured, which are half-configured
 * (a URL without its token silently disables a backend), and settings that are unsafe or that
 * break the webhook path. Pure: reads the parsed config and the raw environment, calls nothing.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config.js';
import { isLoopback } from './run-serve.js';

export type DoctorStatus = 'ok' | 'WARN' | 'FAIL' | 'skip';

export interface DoctorRow {
  backend: string;
  check: string;
  status: DoctorStatus;
  detail: string;
}

type Env = Record<string, string | undefined>;

const GROUPS: Array<{ backend: string; label: string; variables: string[] }> = [
  { backend: 'git', label: 'Gitea', variables: ['GITEA_URL', 'GITEA_TOKEN'] },
  { backend: 'dns', label: 'Cloudflare', variables: ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ZONE_ID'] },
  { backend: 'dns', label: 'PowerDNS', variables: ['PDNS_API_URL', 'PDNS_API_KEY'] },
  { backend: 'ci', label: 'Woodpecker', variables: ['WOODPECKER_URL', 'WOODPECKER_TOKEN'] },
  { backend: 'registry', label: 'registry credentials', variables: ['REGISTRY_USERNAME', 'REGISTRY_PASSWORD'] },
];

export function configRows(config: Readonly<Config>, env: Env, simulated: readonly string[] = []): DoctorRow[] {
  const rows: DoctorRow[] = [];
  const set = (name: string) => Boolean(env[name]?.trim());
  const row = (backend: string, check: string, status: DoctorStatus, detail: string) =>
    rows.push({ backend, check, status, detail });

  for (const group of GROUPS) {
    const missing = group.variables.filter((v) => !set(v));
    if (missing.length > 0 && missing.length < group.variables.length) {
      row(
        group.backend,
        'variables',
        'FAIL',
        `${group.label} is half-configured: ${missing.join(', ')} not set, so it is not used`,
      );
    }
  }
  if (config.DNS_PROVIDER && config.configured.dns !== config.DNS_PROVIDER) {
    row('dns', 'variables', 'FAIL', `DNS_PROVIDER=${config.DNS_PROVIDER} but that provider's variables are not set`);
  }
  if (config.DNS_PROXIED && config.configured.dns === 'powerdns')
    row('dns', 'variables', 'WARN', 'DNS_PROXIED applies to Cloudflare only and is ignored');
  if (set('REGISTRY_USERNAME') && !config.REGISTRY_URL)
    row('registry', 'variables', 'WARN', 'REGISTRY_USERNAME is set but REGISTRY_URL is not');
  if (config.KUBECONFIG && !existsSync(config.KUBECONFIG))
    row('deployer', 'variables', 'FAIL', 'KUBECONFIG names a file that does not exist');

  const token = config.THREESIX_HTTP_TOKEN;
  if (!isLoopback(config.THREESIX_HTTP_HOST) && !token) {
    row(
      'http',
      'token',
      'FAIL',
      `THREESIX_HTTP_HOST=${config.THREESIX_HTTP_HOST} is not loopback and THREESIX_HTTP_TOKEN is not set; serve refuses to start`,
    );
  } else if (token && token.length < 32) {
    row('http', 'token', 'WARN', 'THREESIX_HTTP_TOKEN is shorter than 32 characters; use e.g. `openssl rand -hex 32`');
  } else {
    row('http', 'token', 'ok', token ? 'bearer token required on /mcp and /metrics' : 'loopback only, no token');
  }
  const publicUrl = config.THREESIX_PUBLIC_URL;
  if (simulated.includes('ci') && !publicUrl) {
    // The simulated pipeline calls whichever listener serve/stdio --sandbox start: nothing to set.
    row(
      'http',
      'public url',
      'ok',
      'sandbox: serve and stdio --sandbox point the simulated pipelines at their own loopback listener',
    );
  } else if (config.configured.ci && !publicUrl) {
    row(
      'http',
      'public url',
      'WARN',
      'CI is configured but THREESIX_PUBLIC_URL is not: pipelines cannot reach the deploy webhook',
    );
  } else if (publicUrl && new URL(publicUrl).protocol === 'http:' && !isLoopback(new URL(publicUrl).hostname)) {
    row(
      'http',
      'public url',
      'WARN',
      'THREESIX_PUBLIC_URL is plain http: deploy tokens would cross the network unencrypted',
    );
  } else if (publicUrl) {
    row('http', 'public url', 'ok', publicUrl);
  }
  return rows;
}
