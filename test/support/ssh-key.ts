/**
 * Fresh OpenSSH ed25519 public keys for tests, made with node:crypto (no ssh-keygen needed).
 */
import { generateKeyPairSync } from 'node:crypto';

export function newSshPublicKey(comment = 'threesix-test'): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const wire = Buffer.concat([lengthPrefixed(Buffer.from('ssh-ed25519')), lengthPrefixed(raw)]);
  return `ssh-ed25519 ${wire.toString('base64')} ${comment}`;
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
