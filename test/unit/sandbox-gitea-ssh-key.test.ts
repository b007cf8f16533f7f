/**
 * The Gitea stand-in's deploy-key check, held to what Gitea's own source does
 * (models/asymkey/ssh_key_parse.go, modules/setting/ssh.go): rewritten in the sandbox, so a rule
 * threesix gets wrong in its domain cannot pass its own stand-in.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkPublicKeyString } from '../../src/sandbox/gitea/ssh-key-parse.js';
import { newSshPublicKey } from '../support/ssh-key.js';

function wire(...parts: Buffer[]): Buffer {
  return Buffer.concat(
    parts.flatMap((p) => [Buffer.from([0, 0, 0, 0].map((_, i) => (p.length >>> (24 - 8 * i)) & 0xff)), p]),
  );
}

function rsaKey(bits: number): string {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' });
  const mpint = (b64url: string) => {
    const bytes = Buffer.from(b64url, 'base64url');
    return bytes[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes;
  };
  return `ssh-rsa ${wire(Buffer.from('ssh-rsa'), mpint(jwk.e!), mpint(jwk.n!)).toString('base64')} rsa-${bits}`;
}

describe('Gitea stand-in: CheckPublicKeyString', () => {
  it('keeps the comment, as Gitea stores the whole key line, and fingerprints the blob', () => {
    const key = newSshPublicKey('laptop of alice');
    const checked = checkPublicKeyString(`  ${key}\n`);
    expect(checked.content).toBe(key);
    expect(checked.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('reads the SSH2 file format (RFC 4716) with header lines', () => {
    const blob = newSshPublicKey().split(' ')[1]!;
    const ssh2 = [
      '---- BEGIN SSH2 PUBLIC KEY ----',
      'Comment: "a long \\',
      'comment"',
      blob.slice(0, 40),
      blob.slice(40),
      '---- END SSH2 PUBLIC KEY ----',
    ].join('\r\n');
    expect(checkPublicKeyString(ssh2).content).toBe(`ssh-ed25519 ${blob}`);
  });

  it('takes the type from the blob when only the blob is given, and refuses a type that differs', () => {
    const blob = newSshPublicKey().split(' ')[1]!;
    expect(checkPublicKeyString(blob).content).toBe(`ssh-ed25519 ${blob}`);
    expect(() => checkPublicKeyString(`ssh-rsa ${blob}`)).toThrow(
      'Invalid key content: key type and content does not match: ssh-rsa - ssh-ed25519',
    );
  });

  it('applies the default minimum sizes: RSA needs 2047 bits of modulus', () => {
    expect(checkPublicKeyString(rsaKey(2048)).content).toMatch(/^ssh-rsa /);
    expect(() => checkPublicKeyString(rsaKey(1024))).toThrow(
      'Invalid key content: key length is not enough: got 1024, needs 2047',
    );
  });

  it('refuses private keys, DSA keys and garbage with 422 messages', () => {
    // Real private keys, made here (nothing key-like is committed): PKCS#8 and PKCS#1 PEM armour.
    const ed = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ format: 'pem', type: 'pkcs1' })
      .toString();
    for (const pem of [ed, rsa])
      expect(() => checkPublicKeyString(pem)).toThrow(/^Invalid key content: key is a private key$/);
    const dsa = wire(
      Buffer.from('ssh-dss'),
      Buffer.alloc(129, 1),
      Buffer.alloc(21, 1),
      Buffer.alloc(128, 1),
      Buffer.alloc(128, 1),
    ).toString('base64');
    expect(() => checkPublicKeyString(`ssh-dss ${dsa}`)).toThrow('Invalid key content: key type is not allowed: dsa');
    expect(() => checkPublicKeyString('ssh-ed25519 not-base64!')).toThrow(
      'Invalid key content: extractTypeFromBase64Key',
    );
    const short = wire(Buffer.from('ssh-ed25519'), Buffer.alloc(31, 7)).toString('base64');
    expect(() => checkPublicKeyString(`ssh-ed25519 ${short}`)).toThrow('Invalid key content: invalid ssh public key');
  });
});
