import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSshPublicKey } from '../../src/domain/ssh-public-key.js';
import { newSshPublicKey } from '../support/ssh-key.js';
import { tempDir } from '../support/test-app.js';

function keygen(type: string, bits?: number): { pub: string; priv: string } {
  const file = join(tempDir('threesix-ssh-'), 'key');
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    type,
    ...(bits ? ['-b', String(bits)] : []),
    '-N',
    '',
    '-C',
    'ci@example',
    '-f',
    file,
  ]);
  return { pub: readFileSync(`${file}.pub`, 'utf8'), priv: readFileSync(file, 'utf8') };
}

describe('parseSshPublicKey', () => {
  it('accepts keys made by ssh-keygen and keeps the material without the comment', () => {
    for (const [type, bits] of [['ed25519'], ['rsa', 3072], ['ecdsa', 256], ['ecdsa', 521]] as const) {
      const { pub } = keygen(type, bits);
      const parsed = parseSshPublicKey(pub);
      expect(parsed.comment).toBe('ci@example');
      expect(pub.startsWith(parsed.material)).toBe(true);
    }
    expect(parseSshPublicKey(newSshPublicKey()).type).toBe('ssh-ed25519');
  });

  it.each([
    ['empty', ''],
    ['garbage', 'hello world'],
    ['unknown type', 'ssh-dss AAAAB3NzaC1kc3MAAACBAP'],
    ['not base64', 'ssh-ed25519 AAAA$$$$'],
    ['type mismatch', `ssh-rsa ${newSshPublicKey().split(' ')[1]}`],
    ['truncated blob', `ssh-ed25519 ${newSshPublicKey().split(' ')[1]!.slice(0, 40)}`],
    ['two lines', `${newSshPublicKey()}\n${newSshPublicKey()}`],
  ])('refuses %s with INVALID_INPUT', (_label, key) => {
    expect(() => parseSshPublicKey(key)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses a private key and a short RSA key', () => {
    expect(() => parseSshPublicKey(keygen('ed25519').priv)).toThrow(/private key/);
    expect(() => parseSshPublicKey(keygen('rsa', 1024).pub)).toThrow(/2048/);
  });
});
