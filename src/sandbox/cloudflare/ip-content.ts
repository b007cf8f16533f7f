/**
 * @module sandbox/cloudflare/ip-content
 * How Cloudflare's DNS API reads the `content` of A and AAAA records, written here from what the API
 * states and does, not taken from threesix's own DNS rules (a stand-in must be an independent witness):
 * - A: `dns-records_ARecord.content` is `format: ipv4` in cloudflare/api-schemas `openapi.json`
 *   (commit cca3064f, 2024-08-06); dotted quads with leading zeros are refused with 9005, as by
 *   Node's own `net.isIPv4` (no octal reading of "010").
 * - AAAA: `dns-records_AAAARecord.content` is `format: ipv6`; the API answers with the address in its
 *   RFC 5952 text form (lower case, zeros compressed), e.g. `2001:DB8:0::10` comes back as
 *   `2001:db8::10`. The canonical form here is Node's WHATWG URL IPv6 serializer (URL Standard §3.7:
 *   longest run of two or more zero groups compressed, first on ties, lower-case hex without leading
 *   zeros), which is RFC 5952 §4 except that an embedded IPv4 tail is written in hex. Zone ids
 *   (`%eth0`) are not addresses a DNS record can hold and are refused.
 */
import { isIPv4, isIPv6 } from 'node:net';

export function isIPv4Content(content: string): boolean {
  return isIPv4(content);
}

/** The address as Cloudflare stores and returns it, or null when `content` is no IPv6 address. */
export function canonicalIPv6Content(content: string): string | null {
  if (!isIPv6(content) || content.includes('%')) return null;
  return new URL(`http://[${content}]/`).hostname.slice(1, -1);
}
