/**
 * @module services/access/oidc-claims
 * The identity an OIDC JWT stands for, read from configured claims: the scope claim may be a
 * single word or a space/comma list in which "admin", "write", "read" (also "threesix:admin" ...)
 * are looked for, the highest found winning, read when none; the projects claim is an array or a
 * comma list of globs, every project when absent. A claim that names no valid glob is refused
 * rather than read as "every project".
 */
import type { AccessIdentity } from './identity.js';
import { parseProjectPatterns } from './project-patterns.js';
import { SCOPES } from './scope-rules.js';

export interface ClaimNames {
  scope: string;
  projects: string;
}

export function identityFromClaims(claims: Record<string, unknown>, names: ClaimNames): AccessIdentity | undefined {
  const subject = typeof claims.sub === 'string' && claims.sub !== '' ? claims.sub : undefined;
  if (!subject) return undefined;
  const words = wordsOf(claims[names.scope]).map((w) => w.replace(/^threesix:/, ''));
  const scope = [...SCOPES].reverse().find((s) => words.includes(s)) ?? 'read';
  const rawProjects = claims[names.projects];
  let projects: string[] = [];
  if (rawProjects !== undefined) {
    try {
      projects = parseProjectPatterns(wordsOf(rawProjects, ',').join(','));
    } catch {
      return undefined;
    }
    if (projects.length === 0) return undefined;
  }
  return { name: `oidc:${subject}`, scope, projects, maxProjects: null, source: 'oidc' };
}

function wordsOf(value: unknown, separator: string | RegExp = /[\s,]+/): string[] {
  if (Array.isArray(value))
    return value
      .filter((v): v is string => typeof v === 'string')
      .map((v) => v.trim())
      .filter(Boolean);
  if (typeof value === 'string')
    return value
      .split(separator)
      .map((v) => v.trim())
      .filter(Boolean);
  return [];
}
