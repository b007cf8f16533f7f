/**
 * @module sandbox/cloudflare/cloudflare-stand-in
 * Runs the Cloudflare DNS stand-in on loopback. Tests start it directly (with an observer and the
 * fault switch); `--sandbox` starts it through `cloudflareStandIn` with the platform records seeded.
 */
import { randomBytes } from 'node:crypto';
import type { ExchangeObserver } from '../exchange.js';
import { serveStandIn } from '../serve-stand-in.js';
import type { StandIn } from '../stand-in.js';
import { createCloudflareApp } from './cloudflare-app.js';
import { createFaultSwitch, type FaultSwitch } from './cloudflare-faults.js';
import { CloudflareZone } from './cloudflare-zone.js';

export interface CloudflareStandInOptions {
  zoneName: string;
  token?: string;
  zoneId?: string;
  /** Seed A records for the apex, the wildcard, git, registry and ci (pointing at `platformIp`). */
  seedPlatform?: boolean;
  platformIp?: string;
  observer?: ExchangeObserver;
  port?: number;
  /** Delay added to every response (THREESIX_SANDBOX_LATENCY_MS). */
  latencyMs?: number;
}

export interface RunningCloudflareStandIn {
  /** API base URL, e.g. http://127.0.0.1:1234/client/v4 (what CLOUDFLARE_API_URL takes). */
  apiUrl: string;
  token: string;
  zone: CloudflareZone;
  faults: FaultSwitch;
  close: () => Promise<void>;
}

export async function startCloudflareStandIn(options: CloudflareStandInOptions): Promise<RunningCloudflareStandIn> {
  const token = options.token ?? randomBytes(20).toString('hex');
  const zone = new CloudflareZone(options.zoneId ?? randomBytes(16).toString('hex'), options.zoneName);
  if (options.seedPlatform) {
    const ip = options.platformIp ?? '127.0.0.1';
    for (const label of ['', '*.', 'git.', 'registry.', 'ci.']) {
      zone.create({
        type: 'A',
        name: `${label}${options.zoneName}`,
        content: ip,
        ttl: 1,
        comment: 'platform record (sandbox)',
      });
    }
  }
  const faults = createFaultSwitch();
  const served = await serveStandIn(createCloudflareApp({ token, zone, faults }), {
    port: options.port,
    observer: options.observer,
    latencyMs: options.latencyMs,
  });
  return { apiUrl: `${served.url}/client/v4`, token, zone, faults, close: served.close };
}

export const cloudflareStandIn: StandIn = {
  backend: 'dns',
  title: 'Cloudflare DNS',
  async start(ctx) {
    const running = await startCloudflareStandIn({
      zoneName: ctx.config.DEFAULT_DOMAIN,
      seedPlatform: true,
      platformIp: ctx.config.CLUSTER_IP,
      latencyMs: ctx.latencyMs,
      port: ctx.port,
      token: ctx.previous?.CLOUDFLARE_API_TOKEN,
      zoneId: ctx.previous?.CLOUDFLARE_ZONE_ID,
    });
    return {
      env: {
        CLOUDFLARE_API_TOKEN: running.token,
        CLOUDFLARE_ZONE_ID: running.zone.id,
        CLOUDFLARE_API_URL: running.apiUrl,
        DNS_PROVIDER: 'cloudflare',
      },
      endpoint: running.apiUrl,
      stop: running.close,
    };
  },
};
