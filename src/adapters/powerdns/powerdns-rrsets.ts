/**
 * @module adapters/powerdns/powerdns-rrsets
 * PowerDNS speaks RRsets (one name+type, many contents, one TTL, comments); the port speaks single
 * records. The ownership mark lives in the RRset comment. PowerDNS has no "automatic" TTL, so TTL 1
 * is stored as AUTO_TTL seconds with `ttl=auto` in the comment and read back as 1.
 */
import { canonicalIPv6 } from '../../domain/dns-names.js';
import { ownerMark, parseOwnerMark } from '../../domain/dns-ownership.js';
import type { DnsRecord } from '../../ports/dns-provider.port.js';

export const AUTO_TTL = 300;
const AUTO_FLAG = 'ttl=auto';

export interface PdnsRrset {
  name: string;
  type: string;
  ttl: number;
  records: Array<{ content: string; disabled: boolean }>;
  comments?: Array<{ content: string; account: string; modified_at?: number }>;
}

export const absolute = (name: string) => `${name}.`;
const relativeName = (name: string) => name.toLowerCase().replace(/\.$/, '');

export function rrsetToRecords(rrset: PdnsRrset): DnsRecord[] {
  const comment = rrset.comments?.map((c) => c.content).join(' ') ?? '';
  const owner = parseOwnerMark(comment);
  const auto = owner !== null && comment.split(/\s+/).includes(AUTO_FLAG) && rrset.ttl === AUTO_TTL;
  const name = relativeName(rrset.name);
  return rrset.records.map((r) => {
    const content = fromWire(rrset.type, r.content);
    return {
      id: `${name}/${rrset.type}/${content}`,
      name,
      type: rrset.type,
      content,
      ttl: auto ? 1 : rrset.ttl,
      proxied: false,
      owner,
    };
  });
}

/** The RRset that holds `contents` at name/type, marked as ours. */
export function ownedRrset(
  name: string,
  type: string,
  contents: string[],
  ttl: number,
  owner: string,
): PdnsRrset & { changetype: 'REPLACE' } {
  const auto = ttl === 1;
  return {
    name: absolute(name),
    type,
    ttl: auto ? AUTO_TTL : ttl,
    changetype: 'REPLACE',
    records: contents.map((c) => ({ content: toWire(type, c), disabled: false })),
    comments: [{ content: auto ? `${ownerMark(owner)} ${AUTO_FLAG}` : ownerMark(owner), account: 'threesix' }],
  };
}

export function toWire(type: string, content: string): string {
  if (type === 'CNAME') return absolute(content);
  if (type === 'TXT') {
    // Character-strings hold at most 255 bytes; longer text is split into several quoted strings.
    const parts = content.match(/[\s\S]{1,255}/g) ?? [''];
    return parts.map((p) => `"${p.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(' ');
  }
  return content;
}

export function fromWire(type: string, content: string): string {
  if (type === 'CNAME') return relativeName(content);
  if (type === 'AAAA') return canonicalIPv6(content) ?? content;
  if (type === 'TXT') return unquoteTxt(content);
  return content;
}

/** Joins `"a" "b"` into `ab`, undoing \" \\ and \DDD escapes. Unquoted text is returned as is. */
export function unquoteTxt(wire: string): string {
  if (!wire.startsWith('"')) return wire;
  let out = '';
  let inside = false;
  for (let i = 0; i < wire.length; i++) {
    const ch = wire[i]!;
    if (!inside) {
      if (ch === '"') inside = true;
      continue;
    }
    if (ch === '"') inside = false;
    else if (ch === '\\' && /^[0-9]{3}$/.test(wire.slice(i + 1, i + 4))) {
      out += String.fromCharCode(Number(wire.slice(i + 1, i + 4)));
      i += 3;
    } else if (ch === '\\') out += wire[++i] ?? '';
    else out += ch;
  }
  return out;
}
