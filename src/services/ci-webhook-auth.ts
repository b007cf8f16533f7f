/**
 * @module services/ci-webhook-auth
 * Who is calling the deploy webhook. A Bearer deploy token identifies exactly one project (its
 * hash is compared, in constant time, with every project's); the optional global
 * WOODPECKER_WEBHOOK_SECRET instead signs the raw body (HMAC-SHA256, hex, in
 * `X-Threesix-Signature: sha256=<hex>`) and vouches for any project.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Project } from '../domain/project.js';
import { deployTokenHashesEqual, hashDeployToken } from './deploy-token.service.js';

export const SIGNATURE_HEADER = 'x-threesix-signature';

export type Caller =
  | { kind: 'token'; project: string }
  | { kind: 'signature' }
  | { kind: 'none'; why: 'missing' | 'bad_token' | 'bad_signature' };

export function identifyCaller(input: { rawBody: string; authorization?: string; signature?: string; secret?: string; projects: Project[] }): Caller {
  if (input.signature !== undefined && input.secret) {
    return signatureValid(input.rawBody, input.signature, input.secret) ? { kind: 'signature' } : { kind: 'none', why: 'bad_signature' };
  }
  const match = /^Bearer\s+(\S{1,512})\s*$/i.exec(input.authorization ?? '');
  if (!match) return { kind: 'none', why: 'missing' };
  const hash = hashDeployToken(match[1]!);
  // Every project is compared (no early exit), so timing says nothing about which one matched.
  let owner: string | undefined;
  for (const project of input.projects) if (deployTokenHashesEqual(hash, project.deployTokenHash) && !owner) owner = project.name;
  return owner ? { kind: 'token', project: owner } : { kind: 'none', why: 'bad_token' };
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
