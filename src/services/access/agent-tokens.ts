/**
 * @module services/access/agent-tokens
 * Making, listing, revoking and checking agent tokens. A token is `tsx_` and 256 random bits in
 * base64url; only its sha256 is stored, so the database never holds a usable token and a request's
 * token is found by an indexed lookup on its hash (no comparison loop to time).
 */
import { createHash, randomBytes } from 'node:crypto';
import { invalidInput } from '../../domain/errors.js';
import type { AccessStore, AgentTokenRecord, Scope } from '../../ports/access-store.port.js';
import type { AccessIdentity } from './identity.js';
import { SCOPES } from './scope-rules.js';

const TOKEN_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const PREFIX = 'tsx_';
/** Last use is written at most this often per token: a write on every request would be wasted. */
const TOUCH_EVERY_MS = 60_000;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Whether a bearer value is shaped like an agent token (as opposed to a JWT or the operator token). */
export const looksLikeAgentToken = (value: string): boolean => value.startsWith(PREFIX);

export interface CreateTokenInput {
  name: string;
  scope?: Scope;
  projects?: string[];
  maxProjects?: number | null;
  /** Lifetime in ms from now; undefined for no expiry. */
  expiresInMs?: number;
}

export async function createAgentToken(
  store: AccessStore,
  input: CreateTokenInput,
  now = new Date(),
): Promise<{ token: string; record: AgentTokenRecord }> {
  if (!TOKEN_NAME.test(input.name))
    throw invalidInput(
      `token name "${input.name}" is not valid`,
      'Use 1-63 characters: a-z, 0-9, ".", "_" and "-", starting with a letter or digit',
    );
  const scope = input.scope ?? 'write';
  if (!SCOPES.includes(scope)) throw invalidInput(`scope "${scope}" is not one of ${SCOPES.join(', ')}`);
  const maxProjects = input.maxProjects ?? null;
  if (maxProjects !== null && (!Number.isInteger(maxProjects) || maxProjects < 0))
    throw invalidInput('--max-projects must be a whole number, 0 or more');
  const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = await store.createToken({
    name: input.name,
    hash: hashToken(token),
    scope,
    projects: input.projects ?? [],
    maxProjects,
    expiresAt: input.expiresInMs === undefined ? null : new Date(now.getTime() + input.expiresInMs).toISOString(),
  });
  return { token, record };
}

export function isLive(record: AgentTokenRecord, now = new Date()): boolean {
  return record.revokedAt === null && (record.expiresAt === null || Date.parse(record.expiresAt) > now.getTime());
}

/**
 * The identity a bearer token stands for, or undefined when it is unknown, revoked or expired.
 * Asked on every request, against the database, so a revocation holds at once on every replica.
 */
export async function authenticateAgentToken(
  store: AccessStore,
  token: string,
  now = new Date(),
): Promise<AccessIdentity | undefined> {
  const record = await store.findTokenByHash(hashToken(token));
  if (!record || !isLive(record, now)) return undefined;
  if (record.lastUsedAt === null || now.getTime() - Date.parse(record.lastUsedAt) > TOUCH_EVERY_MS) {
    await store.touchToken(record.name, now.toISOString());
  }
  return {
    name: record.name,
    scope: record.scope,
    projects: record.projects,
    maxProjects: record.maxProjects,
    source: 'token',
  };
}

const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30d`, `12h`, `90m`: a lifetime for --expires. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!match || Number(match[1]) === 0)
    throw invalidInput(
      `duration "${text}" is not valid`,
      'Write a positive number and a unit: s, m, h, d or w (e.g. 30d)',
    );
  return Number(match[1]) * UNITS[match[2]!]!;
}
