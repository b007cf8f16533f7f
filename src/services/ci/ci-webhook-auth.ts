/**
 * @module services/ci/ci-webhook-auth
 * Who is calling the deploy webhook. A Bearer deploy token identifies exactly one project: its
 * sha256 is looked up (indexed — 256 random bits cannot be guessed through lookup timing) and the
 * stored hash is compared again in constant time; the optional global
 * WOODPECKER_WEBHOOK_SECRET instead signs the raw body (HMAC-SHA256, hex, in
 * `X-Threesix-Signature: sha256=<hex>`) and vouches for any project.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Project } from '../../domain/project.js';
import { deployTokenHashesEqual, hashDeployToken } from './deploy-token.service.js';

export const SIGNATURE_HEADER = 'x-threesix-signature';

export type Caller =
  /** `owner` is the project row the token was found on, so the caller need not read it again. */
  | { kind: 'token'; owner: Project }
  | { kind: 'signature' }
  | { kind: 'none'; why: 'missing' | 'bad_token' | 'bad_signature' };

export async function identifyCaller(input: {
  rawBody: string;
  authorization?: string;
  signature?: string;
  secret?: string;
  findByTokenHash: (hash: string) => Promise<Project | undefined>;
}): Promise<Caller> {
  if (input.signature !== undefined && input.secret) {
    return signatureValid(input.rawBody, input.signature, input.secret)
      ? { kind: 'signature' }
      : { kind: 'none', why: 'bad_signature' };
  }
  const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(input.authorization ?? '');
  if (!match) return { kind: 'none', why: 'missing' };
  const hash = hashDeployToken(match[1]!);
  const owner = await input.findByTokenHash(hash);
  return owner && deployTokenHashesEqual(hash, owner.deployTokenHash)
    ? { kind: 'token', owner }
    : { kind: 'none', why: 'bad_token' };
}

export function signBody(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

function signatureValid(rawBody: string, header: string, secret: string): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(rawBody, 'utf8').digest();
  return timingSafeEqual(Buffer.from(match[1]!.toLowerCase(), 'hex'), expected);
}
