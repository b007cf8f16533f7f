import { describe, expect, it } from 'vitest';
import { canonicalIPv6, normalizeRecordContent, normalizeRecordName, validateTtl } from '../../src/domain/dns-names.js';
import { parseOwnerMark } from '../../src/domain/dns-ownership.js';
import { DomainError } from '../../src/domain/errors.js';

const zone = 'example.com';

function invalid(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INVALID_INPUT');
    return;
  }
  expect.fail('expected INVALID_INPUT');
}

describe('normalizeRecordName', () => {
  it.each([
    ['app', 'app.example.com'],
    ['App', 'app.example.com'],
    ['app.example.com', 'app.example.com'],
    ['APP.Example.COM.', 'app.example.com'],
    ['deep.app.example.com', 'deep.app.example.com'],
    ['_acme-challenge', '_acme-challenge.example.com'],
    ['api.git.example.com', 'api.git.example.com'],
  ])('%s -> %s', (input, expected) => expect(normalizeRecordName(input, zone)).toBe(expected));

  it.each([
    ['', 'empty'],
    ['   ', 'blank'],
    ['@', 'apex shorthand'],
    ['example.com', 'apex'],
    ['example.com.', 'apex with dot'],
    ['*', 'wildcard'],
    ['*.example.com', 'wildcard fqdn'],
    ['*.app', 'nested wildcard'],
    ['git', 'platform git'],
    ['registry.example.com', 'platform registry'],
    ['CI', 'platform ci'],
    ['app.other.com', 'outside the zone'],
    ['app.example.com.evil.net', 'zone as a prefix'],
    ['notexample.com', 'suffix without dot'],
    ['app.staging', 'dotted relative name'],
    ['-app', 'leading hyphen'],
    ['app-', 'trailing hyphen'],
    ['a..b.example.com', 'empty label'],
    ['ap p', 'space'],
    ['app\n', 'newline is trimmed, then fine?'],
    ['äpp', 'unicode'],
    ['app/../x', 'path'],
    [`${'a'.repeat(64)}`, 'label over 63'],
    [`${'abcdefghi.'.repeat(25)}example.com`, 'over 253'],
  ])('%j is refused (%s)', (input, why) => {
    if (why.startsWith('newline')) return void expect(normalizeRecordName(input, zone)).toBe('app.example.com');
    invalid(() => normalizeRecordName(input, zone));
  });
});

describe('normalizeRecordContent', () => {
  it.each([
    ['A', '203.0.113.10', '203.0.113.10'],
    ['A', '0.0.0.0', '0.0.0.0'],
    ['AAAA', '2001:DB8::1', '2001:db8::1'],
    ['AAAA', '2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['AAAA', '::', '::'],
    ['AAAA', '::1', '::1'],
    ['AAAA', '2001:db8:0:1:0:0:0:1', '2001:db8:0:1::1'],
    ['AAAA', '2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['AAAA', '::ffff:192.0.2.1', '::ffff:c000:201'],
    ['CNAME', 'Target.Example.NET.', 'target.example.net'],
    ['TXT', 'v=spf1 -all', 'v=spf1 -all'],
    ['TXT', 'x'.repeat(2048), 'x'.repeat(2048)],
  ] as const)('%s %s -> %s', (type, content, expected) => {
    expect(normalizeRecordContent(type, content, 'app.example.com', zone)).toBe(expected);
  });

  it.each([
    ['A', 'app.example.com'],
    ['A', '256.1.1.1'],
    ['A', '1.2.3'],
    ['A', '01.2.3.4'],
    ['A', '1.2.3.4 '],
    ['A', '::1'],
    ['A', ''],
    ['AAAA', '1.2.3.4'],
    ['AAAA', '2001:db8::1::2'],
    ['AAAA', '1:2:3:4:5:6:7:8:9'],
    ['AAAA', '12345::'],
    ['AAAA', 'gggg::'],
    ['CNAME', '203.0.113.10'],
    ['CNAME', 'localhost'],
    ['CNAME', 'bad_host.example.net'],
    ['CNAME', 'app.example.com'],
    ['CNAME', 'a b.example.net'],
    ['TXT', 'x'.repeat(2049)],
    ['TXT', 'line\nbreak'],
    ['TXT', 'nul\u0000'],
    ['TXT', 'ünïcode'],
    ['MX', '10 mail.example.com'],
  ])('%s %j is refused', (type, content) => {
    invalid(() => normalizeRecordContent(type as 'A', content, 'app.example.com', zone));
  });

  it('refuses a CNAME at the apex', () => invalid(() => normalizeRecordContent('CNAME', 'x.example.net', zone, zone)));
});

describe('validateTtl', () => {
  it.each([1, 60, 300, 86400])('accepts %d', (ttl) => expect(validateTtl(ttl)).toBe(ttl));
  it.each([0, 2, 59, 86401, -1, 1.5, Number.NaN, Infinity])('refuses %d', (ttl) => invalid(() => validateTtl(ttl)));
});

describe('canonicalIPv6', () => {
  it('returns null for junk', () => expect(canonicalIPv6('::ffff:999.0.0.1')).toBeNull());
});

describe('parseOwnerMark', () => {
  it.each([
    ['threesix:owner=threesix', 'threesix'],
    ['managed; threesix:owner=prod-1', 'prod-1'],
    ['threesix:owner=abc;ttl=auto', 'abc'],
    ['hand made', null],
    ['xthreesix:owner=abc', null],
    ['threesix:owner=', null],
    ['threesix:owner=ABC', null],
    [null, null],
    ['', null],
  ])('%j -> %j', (comment, owner) => expect(parseOwnerMark(comment)).toBe(owner));
});
