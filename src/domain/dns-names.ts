/**
 * @module domain/dns-names
 * Record names and contents as threesix accepts them. Names are relative (`app`) or an FQDN inside
 * the zone; a name with a dot must end in the zone, so `app.other.com` is refused rather than
 * silently becoming `app.other.com.example.com`. Platform names (the apex, the wildcard, `git`,
 * `registry`, `ci`, `threesix`: domain/reserved-hosts) are never written, whatever the caller asks.
 */
import type { DnsRecordType } from './dns-record.js';
import { invalidInput } from './errors.js';
import { printable } from './project-name.js';
import { PLATFORM_LABELS } from './reserved-hosts.js';

export const DNS_RECORD_TYPES: readonly DnsRecordType[] = ['A', 'AAAA', 'CNAME', 'TXT'];
export type WritableRecordType = DnsRecordType;

export const MAX_TXT_LENGTH = 2048;
export const TTL_AUTO = 1;

// Underscore labels (`_acme-challenge`, `_dmarc`) are legal DNS and common for TXT; hosts are LDH only.
const LABEL = /^[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9])?$/;
const HOST_LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

/** Turns `app`, `App.Example.com.` or `app.example.com` into `app.example.com`; INVALID_INPUT otherwise. */
export function normalizeRecordName(input: string, zone: string): string {
  if (typeof input !== 'string' || input.trim() === '') {
    throw invalidInput('name is required', `Give a label such as "app" or an FQDN inside ${zone}`);
  }
  const raw = input.trim().toLowerCase().replace(/\.$/, '');
  if (raw === '@' || raw === zone) throw platformName(input, zone);
  let fqdn: string;
  if (!raw.includes('.')) fqdn = `${raw}.${zone}`;
  else if (raw.endsWith(`.${zone}`)) fqdn = raw;
  else {
    throw invalidInput(
      `"${printable(input)}" is outside the zone ${zone}`,
      `Use a name inside ${zone}, e.g. "app" or "app.${zone}"`,
    );
  }
  if (fqdn.length > 253) throw invalidInput('name is longer than 253 characters', 'Use a shorter name');
  const labels = fqdn.slice(0, -(zone.length + 1)).split('.');
  if (labels.includes('*')) throw platformName(input, zone);
  for (const label of labels) {
    if (!LABEL.test(label)) {
      throw invalidInput(
        `"${printable(input)}" has an invalid label "${printable(label)}"`,
        'Use letters, digits, inner hyphens (and leading underscores for TXT)',
      );
    }
  }
  if (isPlatformName(fqdn, zone)) throw platformName(input, zone);
  return fqdn;
}

/** The apex, any wildcard, and the platform's own hosts: threesix never changes these. */
export function isPlatformName(fqdn: string, zone: string): boolean {
  if (fqdn === zone) return true;
  if (!fqdn.endsWith(`.${zone}`)) return false;
  const labels = fqdn.slice(0, -(zone.length + 1)).split('.');
  return labels.includes('*') || (labels.length === 1 && PLATFORM_LABELS.includes(labels[0]!));
}

function platformName(input: string, zone: string) {
  return invalidInput(
    `"${printable(input)}" is a platform name in ${zone} (the apex, the wildcard, ${PLATFORM_LABELS.join(', ')}) and is never changed by threesix`,
    'Choose another name',
  );
}

/** Checks content fits the type and returns its canonical form (lowercase hosts, compressed IPv6). */
export function normalizeRecordContent(type: WritableRecordType, content: string, fqdn: string, zone: string): string {
  if (typeof content !== 'string' || content === '') throw invalidInput('content is required');
  switch (type) {
    case 'A':
      if (!isIPv4(content))
        throw invalidInput(
          `A record content "${printable(content)}" is not an IPv4 address`,
          'Give a dotted quad such as 203.0.113.10',
        );
      return content;
    case 'AAAA': {
      const ip = canonicalIPv6(content);
      if (!ip)
        throw invalidInput(
          `AAAA record content "${printable(content)}" is not an IPv6 address`,
          'Give an address such as 2001:db8::1',
        );
      return ip;
    }
    case 'CNAME': {
      if (fqdn === zone) throw invalidInput('a CNAME cannot be at the zone apex');
      const target = content.trim().toLowerCase().replace(/\.$/, '');
      const labels = target.split('.');
      if (
        target.length > 253 ||
        labels.length < 2 ||
        !labels.every((l) => HOST_LABEL.test(l)) ||
        /^[0-9]+$/.test(labels.at(-1)!)
      ) {
        throw invalidInput(
          `CNAME content "${printable(content)}" is not a hostname`,
          'Give a hostname such as target.example.net',
        );
      }
      if (target === fqdn) throw invalidInput('a CNAME cannot point at itself');
      return target;
    }
    case 'TXT':
      if (content.length > MAX_TXT_LENGTH)
        throw invalidInput(`TXT content is ${content.length} characters; the limit is ${MAX_TXT_LENGTH}`);
      // Printable ASCII only: control characters and quotes-with-escapes differ between providers.
      if (!/^[\x20-\x7e]+$/.test(content))
        throw invalidInput('TXT content must be printable ASCII', 'Remove control and non-ASCII characters');
      return content;
    default:
      throw invalidInput(
        `record type "${printable(String(type))}" is not supported`,
        `Use one of ${DNS_RECORD_TYPES.join(', ')}`,
      );
  }
}

export function validateTtl(ttl: number): number {
  if (!Number.isInteger(ttl) || (ttl !== TTL_AUTO && (ttl < 60 || ttl > 86400))) {
    throw invalidInput('ttl must be 1 (automatic) or an integer from 60 to 86400 seconds');
  }
  return ttl;
}

export function isIPv4(value: string): boolean {
  const parts = value.split('.');
  // No leading zeros: "010" reads as octal in some resolvers' parsers.
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

/** RFC 5952 form of an IPv6 address, or null when it is not one. */
export function canonicalIPv6(value: string): string | null {
  let text = value.toLowerCase();
  if (text.length > 45 || !/^[0-9a-f:.]+$/.test(text)) return null;
  const tail: string[] = [];
  const v4 = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (v4) {
    if (!isIPv4(v4[2]!)) return null;
    const [a, b, c, d] = v4[2]!.split('.').map(Number) as [number, number, number, number];
    tail.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
    text = v4[1]!.endsWith('::') ? v4[1]! : v4[1]!.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const split = (s: string) => (s === '' ? [] : s.split(':'));
  const head = split(halves[0]!);
  const rest = halves.length === 2 ? split(halves[1]!) : [];
  const given = [...head, ...rest, ...tail].length;
  if (halves.length === 1 ? given !== 8 : given > 7) return null;
  const groups = [...head, ...Array<string>(8 - given).fill('0'), ...rest, ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  const short = groups.map((g) => g.replace(/^0+(?=.)/, ''));
  // Compress the longest run (length >= 2) of zero groups, the first one on ties.
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && short[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
  }
  if (best < 0) return short.join(':');
  return `${short.slice(0, best).join(':')}::${short.slice(best + bestLen).join(':')}`;
}
