/**
 * @module domain/ssh-public-key
 * Deploy keys must be OpenSSH public keys on one line: `<type> <base64 blob> [comment]`. The blob
 * is decoded and its inner type name must match the outer one, so a private key, a certificate
 * or pasted garbage is refused here instead of by Gitea after a round trip.
 */
import { invalidInput } from './errors.js';
import { printable } from './project-name.js';

const KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const MAX_LENGTH = 16 * 1024;
const MIN_RSA_BITS = 2048;

export interface SshPublicKey {
  type: (typeof KEY_TYPES)[number];
  /** `type base64` without the comment: the form Gitea stores and compares. */
  material: string;
  comment: string;
}

/** Returns the parsed key; throws INVALID_INPUT saying what is wrong with it. */
export function parseSshPublicKey(input: string): SshPublicKey {
  const bad = (why: string) =>
    invalidInput(
      `publicKey is not an SSH public key: ${why}`,
      'Pass the one-line contents of a .pub file, e.g. "ssh-ed25519 AAAA… comment"',
    );
  if (typeof input !== 'string' || input.trim() === '') throw bad('it is empty');
  if (input.length > MAX_LENGTH) throw bad('it is longer than 16 KiB');
  if (input.includes('PRIVATE KEY')) throw bad('this is a private key; never share it, pass the .pub file instead');
  const line = input.trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this check refuses
  if (/[\r\n\t\x00-\x1f\x7f]/.test(line)) throw bad('it must be a single line without control characters');
  const [type, blob, ...rest] = line.split(/ +/);
  if (!KEY_TYPES.includes(type as SshPublicKey['type'])) throw bad(`unsupported key type "${printable(type ?? '')}"`);
  if (!blob || !BASE64.test(blob) || blob.length % 4 !== 0) throw bad('the key data is not base64');
  const bytes = decodeBase64(blob);
  const fields = readStrings(bytes);
  if (!fields || fields.length < 2 || latin1(fields[0]!) !== type) throw bad('the key data does not match its type');
  checkShape(type as SshPublicKey['type'], fields, bad);
  return { type: type as SshPublicKey['type'], material: `${type} ${blob}`, comment: rest.join(' ') };
}

function checkShape(type: SshPublicKey['type'], fields: Uint8Array[], bad: (why: string) => Error): void {
  if (type === 'ssh-ed25519' && (fields.length !== 2 || fields[1]!.length !== 32))
    throw bad('an ed25519 key has 32 bytes');
  if (type === 'ssh-rsa') {
    const modulus = fields[2];
    if (fields.length !== 3 || !modulus) throw bad('an RSA key has an exponent and a modulus');
    const bits = (modulus.length - (modulus[0] === 0 ? 1 : 0)) * 8;
    if (bits < MIN_RSA_BITS) throw bad(`RSA keys need at least ${MIN_RSA_BITS} bits`);
  }
  if (
    type.startsWith('ecdsa-sha2-') &&
    (fields.length !== 3 || latin1(fields[1]!) !== type.slice('ecdsa-sha2-'.length))
  ) {
    throw bad('the curve does not match the key type');
  }
}

/** Splits SSH wire format: uint32 big-endian length + bytes, repeated to the end. */
function readStrings(bytes: Uint8Array): Uint8Array[] | undefined {
  const out: Uint8Array[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 4 > bytes.length) return undefined;
    const length =
      ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
    offset += 4;
    if (length > bytes.length - offset) return undefined;
    out.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  return out;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

function latin1(bytes: Uint8Array): string {
  return String.fromCharCode(...bytes);
}
