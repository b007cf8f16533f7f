import { describe, expect, it } from 'vitest';
import { validateEnv, validatePort, validateReplicas } from '../../src/domain/env-vars.js';
import { DomainError, requireConfirm } from '../../src/domain/errors.js';
import { normalizeFqdn } from '../../src/domain/fqdn.js';
import { parseImageRef } from '../../src/domain/image-ref.js';
import { validateProjectName } from '../../src/domain/project-name.js';

const invalid = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('INVALID_INPUT');
    expect((error as DomainError).toText()).toMatch(/^INVALID_INPUT: .+\. .+/);
    return (error as DomainError).message;
  }
  throw new Error('expected INVALID_INPUT');
};

describe('project names', () => {
  it.each(['a', 'app', 'my-app', 'a1', 'x'.repeat(40), 'shop-2026'])('accepts %j', (name) => {
    expect(validateProjectName(name)).toBe(name);
  });

  it.each([
    ['empty', ''],
    ['uppercase', 'MyApp'],
    ['leading digit', '1app'],
    ['leading hyphen', '-app'],
    ['trailing hyphen', 'app-'],
    ['double hyphen (IDNA look-alike)', 'xn--app'],
    ['41 characters', 'a'.repeat(41)],
    ['10 KB', 'a'.repeat(10_000)],
    ['path traversal', '../etc'],
    ['slash', 'org/app'],
    ['dot', 'app.example'],
    ['underscore', 'my_app'],
    ['space', 'my app'],
    ['shell metacharacters', 'app;rm -rf /'],
    ['command substitution', '$(id)'],
    ['backtick', '`id`'],
    ['newline', 'app\nx'],
    ['NUL byte', 'app\u0000'],
    ['cyrillic a look-alike', 'аpp'],
    ['fullwidth letters', 'ａｐｐ'],
    ['zero-width space', 'ap\u200bp'],
    ['emoji', 'app🚀'],
    ['reserved git', 'git'],
    ['reserved registry', 'registry'],
    ['reserved mcp', 'mcp'],
    ['reserved ns1', 'ns1'],
  ])('rejects %s', (_label, name) => {
    const message = invalid(() => validateProjectName(name));
    expect(message.length).toBeLessThan(200);
    expect(message).not.toContain('\u0000');
    expect(message).not.toContain('\n');
  });

  it('rejects names from the configured reserved list', () => {
    invalid(() => validateProjectName('billing', ['billing']));
    expect(validateProjectName('billing')).toBe('billing');
  });
});

describe('custom domains', () => {
  it.each([
    ['shop.example.com', 'shop.example.com'],
    ['Shop.Example.COM.', 'shop.example.com'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['a.b.c.d.example.org', 'a.b.c.d.example.org'],
  ])('normalizes %j', (input, expected) => {
    expect(normalizeFqdn(input)).toBe(expected);
  });

  it.each([
    ['empty', ''],
    ['single label', 'localhost'],
    ['IP address', '10.0.0.1'],
    ['unicode', 'bücher.example'],
    ['underscore', 'my_site.example.com'],
    ['label over 63', `${'a'.repeat(64)}.example.com`],
    ['over 253 in all', `${'a.'.repeat(130)}com`],
    ['leading hyphen label', '-a.example.com'],
    ['empty label', 'a..example.com'],
    ['wildcard', '*.example.com'],
    ['path', 'example.com/../x'],
    ['url', 'https://example.com'],
    ['port', 'example.com:443'],
    ['shell', 'example.com;id'],
  ])('rejects %s', (_label, input) => {
    invalid(() => normalizeFqdn(input));
  });
});

describe('OCI image references', () => {
  it('parses registry, path, tag and digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseImageRef('zot.threesix.svc:5000/threesix/app:abc123')).toEqual({
      registry: 'zot.threesix.svc:5000',
      repository: 'threesix/app',
      tag: 'abc123',
      digest: undefined,
    });
    expect(parseImageRef(`localhost:5000/app@${digest}`)).toMatchObject({
      registry: 'localhost:5000',
      repository: 'app',
      digest,
    });
    expect(parseImageRef(`reg.example.com/a/b:v1@${digest}`)).toMatchObject({ tag: 'v1', digest });
  });

  it.each([
    ['no registry', 'nginx:latest'],
    ['uppercase path', 'reg.example.com/App:1'],
    ['bad digest', 'reg.example.com/app@sha256:xyz'],
    ['bad tag', 'reg.example.com/app:-bad'],
    ['shell', 'reg.example.com/app:1;id'],
    ['empty', ''],
    ['spaces', 'reg.example.com/app :1'],
    ['10 KB', `reg.example.com/${'a'.repeat(10_000)}`],
    ['traversal', 'reg.example.com/../app:1'],
  ])('rejects %s', (_label, input) => {
    invalid(() => parseImageRef(input));
  });
});

describe('env, replicas, ports and confirm', () => {
  it('accepts valid env and rejects bad names', () => {
    expect(validateEnv({ PORT: '8080', _X: '', DATABASE_URL: 'x' })).toEqual({
      PORT: '8080',
      _X: '',
      DATABASE_URL: 'x',
    });
    for (const name of ['port', '1X', 'A-B', 'A B', 'A=B', '', 'Ä']) invalid(() => validateEnv({ [name]: 'v' }));
    invalid(() => validateEnv({ BIG: 'x'.repeat(33 * 1024) }));
  });

  it('bounds replicas and ports', () => {
    expect(validateReplicas(0, 10)).toBe(0);
    expect(validateReplicas(10, 10)).toBe(10);
    for (const n of [-1, 11, 1.5, Number.NaN]) invalid(() => validateReplicas(n, 10));
    expect(validatePort(8080)).toBe(8080);
    for (const n of [0, 65536, -80, 80.5]) invalid(() => validatePort(n));
  });

  it('requires confirm to equal the target exactly', () => {
    expect(() => requireConfirm('app', 'app')).not.toThrow();
    for (const c of ['App', 'app ', '', 'yes', 'true']) invalid(() => requireConfirm('app', c));
  });
});
