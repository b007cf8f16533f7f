/**
 * @module http/host-guard
 * DNS-rebinding protection: a browser tricked into calling 127.0.0.1 still sends the attacker's
 * Host and Origin, so both must be on the allow-list before /mcp does anything.
 */
import type { MiddlewareHandler } from 'hono';

export interface HostGuardOptions {
  allowedHosts: readonly string[];
  allowedOrigins: readonly string[];
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** Host values accepted for a server bound to `port`: loopback names plus the configured ones. */
export function defaultAllowedHosts(
  port: number,
  bindHost: string,
  extra: readonly string[],
  publicUrl?: string,
): string[] {
  const names = new Set([...LOOPBACK, bindHost.includes(':') ? `[${bindHost}]` : bindHost]);
  const hosts = new Set<string>();
  for (const name of names) {
    hosts.add(name);
    hosts.add(`${name}:${port}`);
  }
  for (const host of extra) hosts.add(host.toLowerCase());
  if (publicUrl) hosts.add(new URL(publicUrl).host.toLowerCase());
  return [...hosts];
}

export function defaultAllowedOrigins(port: number, extra: readonly string[]): string[] {
  const origins = new Set<string>();
  for (const name of LOOPBACK) {
    origins.add(`http://${name}:${port}`);
    origins.add(`http://${name}`);
  }
  for (const origin of extra) origins.add(origin.toLowerCase().replace(/\/$/, ''));
  return [...origins];
}

export function hostGuard(options: HostGuardOptions): MiddlewareHandler {
  // Read the lists per request: `serve` on port 0 learns its port only after binding.
  return async function hostGuardMiddleware(c, next) {
    const host = c.req.header('host')?.toLowerCase();
    if (!host || !options.allowedHosts.includes(host)) {
      return c.json({ error: { code: 'PERMISSION_DENIED', message: 'Host not allowed' } }, 403);
    }
    const origin = c.req.header('origin');
    // Non-browser clients send no Origin; a browser always does, and it must be ours.
    if (origin !== undefined && !options.allowedOrigins.includes(origin.toLowerCase())) {
      return c.json({ error: { code: 'PERMISSION_DENIED', message: 'Origin not allowed' } }, 403);
    }
    await next();
  };
}
