/**
 * @module sandbox/gitea/ssh-key-parse
 * Gitea's check of a submitted SSH public key, rewritten from Gitea's source (not from threesix's
 * own key rules: the stand-in is a second, independent witness of what Gitea accepts):
 * - go-gitea/gitea `models/asymkey/ssh_key_parse.go` (commit 0735d3c4) `parseKeyString`: trims,
 *   reads either the SSH2 file format (`---- BEGIN SSH2 PUBLIC KEY ----`, header and tag lines
 *   skipped) or OpenSSH `type base64 [comment]`, takes the type from the blob's first string and
 *   refuses a given type that differs; a PEM private key is refused. `CheckPublicKeyString`: one
 *   line only, then `SSHNativeParsePublicKey` reads the key with x/crypto/ssh and checks
 *   `setting.SSH.MinimumKeySizes`.
 * - go-gitea/gitea `modules/setting/ssh.go` (commit 04b660d1): minimum sizes ed25519 256,
 *   ed25519-sk 256, ecdsa 256, ecdsa-sk 256, rsa 2047 (modulus bit length); any other type (dsa,
 *   certificates) is "key type is not allowed".
 * - go-gitea/gitea `routers/api/v1/repo/key.go` `HandleCheckKeyStringError`: the API answers 422
 *   "Invalid key content: <reason>".
 * Not modelled: PEM *public* keys (Gitea converts PKIX to OpenSSH; here they are refused) and the
 * on-curve check of ECDSA points.
 */
import { createHash } from 'node:crypto';

const SSH2_START = '---- BEGIN SSH2 PUBLIC KEY ----';
/** x/crypto/ssh algorithm name -> [Gitea's key kind, how to read its size from the wire strings]. */
const ALGORITHMS: Record<string, { kind: string; bits: (fields: Buffer[]) => number | null }> = {
  'ssh-ed25519': { kind: 'ed25519', bits: (f) => (f.length === 2 && f[1]!.length === 32 ? 256 : null) },
  'sk-ssh-ed25519@openssh.com': {
    kind: 'ed25519-sk',
    bits: (f) => (f.length === 3 && f[1]!.length === 32 ? 256 : null),
  },
  'ssh-rsa': { kind: 'rsa', bits: (f) => (f.length === 3 ? bitLength(f[2]!) : null) },
  'ssh-dss': { kind: 'dsa', bits: (f) => (f.length === 5 ? bitLength(f[1]!) : null) },
  'ecdsa-sha2-nistp256': { kind: 'ecdsa', bits: (f) => ecdsaBits(f, 'nistp256', 256, 3) },
  'ecdsa-sha2-nistp384': { kind: 'ecdsa', bits: (f) => ecdsaBits(f, 'nistp384', 384, 3) },
  'ecdsa-sha2-nistp521': { kind: 'ecdsa', bits: (f) => ecdsaBits(f, 'nistp521', 521, 3) },
  'sk-ecdsa-sha2-nistp256@openssh.com': { kind: 'ecdsa-sk', bits: (f) => ecdsaBits(f, 'nistp256', 256, 4) },
};
const MINIMUM_KEY_SIZES: Record<string, number> = {
  ed25519: 256,
  'ed25519-sk': 256,
  ecdsa: 256,
  'ecdsa-sk': 256,
  rsa: 2047,
};

export class InvalidKeyContent extends Error {}

export interface CheckedKey {
  /** The key line as Gitea stores and returns it: `type base64 comment`, trimmed. */
  content: string;
  /** `SHA256:` + unpadded base64 of the blob, as x/crypto/ssh FingerprintSHA256. */
  fingerprint: string;
}

/** Gitea's CheckPublicKeyString; throws InvalidKeyContent with the API's 422 message. */
export function checkPublicKeyString(input: string): CheckedKey {
  const fail = (reason: string) => new InvalidKeyContent(`Invalid key content: ${reason}`);
  const text = input.trim();
  let type = '';
  let blob = '';
  let comment = '';
  if (text.startsWith(SSH2_START)) {
    let continuation = false;
    for (const line of text.replace(/\r\n?/g, '\n').split('\n')) {
      if (continuation || /[:-]/.test(line)) continuation = line.endsWith('\\');
      else blob += line;
    }
    type = typeInBlob(blob) ?? '';
    if (!type) throw fail('extractTypeFromBase64Key: invalid key format');
  } else {
    if (text.includes('-----BEGIN')) {
      throw fail(
        /-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)
          ? 'key is a private key'
          : 'PEM public keys are not modelled by this stand-in',
      );
    }
    const parts = splitN(text.replace(/\r?\n/g, ''), ' ', 3);
    [type = '', blob = '', comment = ''] = parts.length === 1 ? ['', parts[0]!] : parts;
    const inner = typeInBlob(blob);
    if (inner === null) throw fail('extractTypeFromBase64Key: invalid key format');
    if (type === '') type = inner;
    else if (type !== inner) throw fail(`key type and content does not match: ${type} - ${inner}`);
  }
  const algorithm = ALGORITHMS[type];
  const fields = wireStrings(Buffer.from(blob, 'base64'));
  if (!algorithm || !fields) throw fail(`SSHNativeParsePublicKey: key type is not allowed: ${type}`);
  const bits = algorithm.bits(fields);
  if (bits === null) throw fail('invalid ssh public key: ssh: short read');
  const minimum = MINIMUM_KEY_SIZES[algorithm.kind];
  if (minimum === undefined) throw fail(`key type is not allowed: ${algorithm.kind}`);
  if (bits < minimum) throw fail(`key length is not enough: got ${bits}, needs ${minimum}`);
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '');
  return { content: `${type} ${blob} ${comment}`.trim(), fingerprint: `SHA256:${digest}` };
}

/** Go's base64.StdEncoding plus extractTypeFromBase64Key: the first length-prefixed string. */
function typeInBlob(blob: string): string | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(blob) || blob.length % 4 !== 0) return null;
  const bytes = Buffer.from(blob, 'base64');
  if (bytes.length < 4) return null;
  const length = bytes.readUInt32BE(0);
  return bytes.length < 4 + length ? null : bytes.subarray(4, 4 + length).toString('latin1');
}

/** SSH wire format (RFC 4251 §5): uint32 length + bytes, to the end; null when it does not add up. */
function wireStrings(bytes: Buffer): Buffer[] | null {
  const out: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    if (offset + 4 > bytes.length) return null;
    const length = bytes.readUInt32BE(offset);
    offset += 4;
    if (length > bytes.length - offset) return null;
    out.push(bytes.subarray(offset, offset + length));
    offset += length;
  }
  return out;
}

function ecdsaBits(fields: Buffer[], curve: string, bits: number, count: number): number | null {
  return fields.length === count && fields[1]!.toString('latin1') === curve && fields[2]![0] === 4 ? bits : null;
}

/** big.Int BitLen of an mpint (RFC 4251: two's complement, big-endian, a leading 0 for positives). */
function bitLength(mpint: Buffer): number {
  let i = 0;
  while (i < mpint.length && mpint[i] === 0) i++;
  return i === mpint.length ? 0 : (mpint.length - i - 1) * 8 + mpint[i]!.toString(2).length;
}

/** Go's strings.SplitN. */
function splitN(text: string, separator: string, n: number): string[] {
  const parts = text.split(separator);
  return parts.length <= n ? parts : [...parts.slice(0, n - 1), parts.slice(n - 1).join(separator)];
}
