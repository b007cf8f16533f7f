import { describe, expect, it } from 'vitest';
import { hostOfUrl, reservedHostReason } from '../../src/domain/reserved-hosts.js';
import { validateProjectName } from '../../src/domain/project-name.js';

const settings = {
  DEFAULT_DOMAIN: 'example.test',
  THREESIX_RESERVED_NAMES: ['internal'],
  THREESIX_PUBLIC_URL: 'https://hooks.example.test/base/',
  GITEA_URL: 'https://code.elsewhere.org',
  WOODPECKER_URL: undefined,
  REGISTRY_URL: 'zot.example.test:5000',
};

describe('reserved hosts (one list for project names, custom domains and DNS writes)', () => {
  it("reserves the platform names, the apex, wildcards and the operator's extra names", () => {
    for (const host of [
      'git.example.test',
      'registry.example.test',
      'ci.example.test',
      'threesix.example.test',
      'mcp.example.test',
      'internal.example.test',
      'example.test',
      '*.example.test',
    ]) {
      expect(reservedHostReason(host, settings), host).not.toBeNull();
    }
    for (const name of ['threesix', 'git', 'mcp']) expect(() => validateProjectName(name)).toThrow(/reserved/);
  });

  it('reserves the hosts of the configured URLs wherever they are, port and path aside', () => {
    expect(reservedHostReason('hooks.example.test', settings)).toMatch(/THREESIX_PUBLIC_URL/);
    expect(reservedHostReason('code.elsewhere.org', settings)).toMatch(/GITEA_URL/);
    expect(reservedHostReason('zot.example.test', settings)).toMatch(/REGISTRY_URL/);
    expect(hostOfUrl('zot.example.test:5000')).toBe('zot.example.test');
    expect(hostOfUrl('not a url')).toBeNull();
  });

  it('leaves ordinary names alone', () => {
    for (const host of ['shop.example.test', 'www.shop.example.test', 'git.shop.example.test', 'www.customer.org'])
      expect(reservedHostReason(host, settings), host).toBeNull();
  });
});
