/**
 * @module main/run-platform-dns
 * `threesix-mcp platform dns [--apply]`: prints the platform's DNS records (git, registry, ci,
 * threesix, the wildcard) as planned on the configured provider, and with --apply writes them.
 * stdout carries the table (this is not an MCP mode); the exit code is 1 when a foreign record is
 * in the way (nothing is written then), 0 otherwise. Running it again changes nothing.
 */
import { isDomainError } from '../domain/errors.js';
import { platformDns, type PlatformDnsResult } from '../services/platform/platform-dns.service.js';
import { boot } from './boot.js';

export interface PlatformDnsOptions {
  apply: boolean;
  env?: NodeJS.ProcessEnv;
  write?: (text: string) => void;
}

export async function runPlatformDns(options: PlatformDnsOptions): Promise<number> {
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const booted = await boot({ sandbox: false, env: options.env });
  try {
    if (!booted.config.configured.dns) {
      write(
        'platform dns: no DNS provider is configured; set CLOUDFLARE_API_TOKEN and CLOUDFLARE_ZONE_ID, or PDNS_API_URL and PDNS_API_KEY\n',
      );
      return 1;
    }
    const result = await platformDns(booted.app, { apply: options.apply });
    write(render(result, options.apply));
    return result.entries.some((e) => e.action === 'conflict') ? 1 : 0;
  } catch (error) {
    write(`platform dns: ${isDomainError(error) ? error.toText() : 'failed; see the log on stderr'}\n`);
    if (!isDomainError(error)) booted.logger.error('platform dns failed', { err: error });
    return 1;
  } finally {
    await booted.shutdown();
  }
}

function render(result: PlatformDnsResult, apply: boolean): string {
  const rows = [
    ['NAME', 'TYPE', 'CONTENT', 'PROXIED', 'ACTION'],
    ...result.entries.map((e) => [e.name, e.type, e.content, e.proxied ? 'yes' : 'no', e.action]),
  ];
  const width = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => cell.padEnd(width[i]!))
      .join('  ')
      .trimEnd(),
  );
  const conflicts = result.entries.filter((e) => e.action === 'conflict');
  const count = (action: string) => result.entries.filter((e) => e.action === action).length;
  const summary = `${count('create')} to create, ${count('update')} to update, ${count('ok')} already right, ${conflicts.length} in conflict`;
  const outcome =
    conflicts.length > 0
      ? 'nothing was written: a record threesix does not own is in the way; remove or hand it over (add the ownership mark), then run again'
      : result.applied
        ? 'applied'
        : apply
          ? 'nothing to change'
          : 'dry run; pass --apply to write';
  const details = conflicts.map((e) => `  ${e.name}: ${e.detail}`);
  return [
    `platform dns on ${result.provider} (zone ${result.zone})`,
    ...lines,
    '',
    ...details,
    `platform dns: ${summary}; ${outcome}`,
    '',
  ].join('\n');
}
