/**
 * @module services/deploy-token
 * Per-project deploy tokens: 256 random bits, handed to CI once (as a Woodpecker secret) and kept
 * here only as a sha256 hash. Comparison is in constant time over the hashes.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface NewDeployToken {
  /** Goes to CI and nowhere else: never logged, returned by a tool or stored. */
  token: string;
  /** sha256 hex, what projects.deploy_token_hash keeps. */
  hash: string;
}

export function newDeployToken(): NewDeployToken {
  const token = `t36_${randomBytes(32).toString('base64url')}`;
  return { token, hash: hashDeployToken(token) };
}

export function hashDeployToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time equality of two sha256 hex hashes; false for anything malformed. */
export function deployTokenHashesEqual(a: string, b: string | null): boolean {
  if (!b || !/^[0-9a-f]{64}$/.test(a) || !/^[0-9a-f]{64}$/.test(b)) return false;
  return timingSafeEqual(Buffer.from(a, 'hex'), Buffer.from(b, 'hex'));
}
