/**
 * The Cloudflare stand-in's reading of A/AAAA `content`, held to the API's behaviour (format ipv4 /
 * ipv6 in cloudflare/api-schemas; AAAA answered in RFC 5952 form), independently of threesix's own
 * DNS name rules.
 */
import { describe, expect, it } from 'vitest';
import { canonicalIPv6Content, isIPv4Content } from '../../src/sandbox/cloudflare/ip-content.js';

describe('Cloudflare stand-in: A and AAAA content', () => {
  it('accepts dotted quads without leading zeros only', () => {
    expect(isIPv4Content('192.0.2.1')).toBe(true);
    for (const bad of ['010.0.0.1', '256.1.1.1', '1.2.3', '::1', ' 1.2.3.4'])
      expect(isIPv4Content(bad), bad).toBe(false);
  });

  it('answers AAAA content in RFC 5952 form', () => {
    expect(canonicalIPv6Content('2001:DB8:0::10')).toBe('2001:db8::10');
    expect(canonicalIPv6Content('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(canonicalIPv6Content('2001:0db8:0000:0000:0000:0000:0000:0001')).toBe('2001:db8::1');
    expect(canonicalIPv6Content('0:0:0:0:0:0:0:0')).toBe('::');
  });

  it('refuses what is no IPv6 address a record can hold', () => {
    for (const bad of ['1.2.3.4', 'fe80::1%eth0', '2001:db8::1::2', 'g::1', ''])
      expect(canonicalIPv6Content(bad), bad).toBeNull();
  });
});
