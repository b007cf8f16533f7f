/**
 * The pure access rules: scopes from annotations, project globs, OIDC claims, durations, and the
 * token CLI's create/list/revoke on a real database (the token printed once, never listed).
 */
import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/services/access/agent-tokens.js';
import { identityFromClaims } from '../../src/services/access/oidc-claims.js';
import { matchesProjectPatterns, parseProjectPatterns } from '../../src/services/access/project-patterns.js';
import { scopeAllows, scopeNeeded } from '../../src/services/access/scope-rules.js';
import { runToken } from '../../src/main/run-token.js';
import { tempDir } from '../support/test-app.js';

describe('scope rules', () => {
  it('read needs readOnlyHint, write anything not destructive, admin everything', () => {
    const read = { readOnlyHint: true, destructiveHint: false };
    const write = { readOnlyHint: false, destructiveHint: false };
    const destructive = { readOnlyHint: false, destructiveHint: true };
    expect([scopeNeeded(read), scopeNeeded(write), scopeNeeded(destructive)]).toEqual(['read', 'write', 'admin']);
    expect(scopeAllows('read', write)).toBe(false);
    expect(scopeAllows('write', write)).toBe(true);
    expect(scopeAllows('write', destructive)).toBe(false);
    expect(scopeAllows('admin', destructive)).toBe(true);
  });
});

describe('project patterns', () => {
  it('match whole names with * and ?, and an empty list matches all', () => {
    expect(matchesProjectPatterns(['team-a-*'], 'team-a-x')).toBe(true);
    expect(matchesProjectPatterns(['team-a-*'], 'xteam-a-x')).toBe(false);
    expect(matchesProjectPatterns(['demo', 'a?c'], 'abc')).toBe(true);
    expect(matchesProjectPatterns([], 'anything')).toBe(true);
  });
  it('refuse globs that could never name a project (no regex injection)', () => {
    expect(parseProjectPatterns(' team-a-* , demo ')).toEqual(['team-a-*', 'demo']);
    expect(() => parseProjectPatterns('a.*')).toThrow(/may hold only/);
    expect(() => parseProjectPatterns('A')).toThrow(/may hold only/);
  });
});

describe('OIDC claims', () => {
  const names = { scope: 'threesix_scope', projects: 'threesix_projects' };
  it('take the highest scope word, read by default, and globs from an array or a list', () => {
    expect(identityFromClaims({ sub: 'a', threesix_scope: 'openid threesix:write read' }, names)).toMatchObject({
      name: 'oidc:a',
      scope: 'write',
      projects: [],
    });
    expect(identityFromClaims({ sub: 'a' }, names)).toMatchObject({ scope: 'read' });
    expect(identityFromClaims({ sub: 'a', threesix_projects: 'x-*, y' }, names)).toMatchObject({
      projects: ['x-*', 'y'],
    });
  });
  it('refuse no subject, and a projects claim with no valid glob (never read as every project)', () => {
    expect(identityFromClaims({ threesix_scope: 'admin' }, names)).toBeUndefined();
    expect(identityFromClaims({ sub: 'a', threesix_projects: [] }, names)).toBeUndefined();
    expect(identityFromClaims({ sub: 'a', threesix_projects: 'A.*' }, names)).toBeUndefined();
  });
});

describe('durations', () => {
  it('read 30d, 12h, 90m and refuse the rest', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400_000);
    expect(parseDuration('90m')).toBe(90 * 60_000);
    expect(() => parseDuration('0d')).toThrow(/not valid/);
    expect(() => parseDuration('1y')).toThrow(/not valid/);
  });
});

describe('threesix-mcp token', () => {
  it('creates (printing the token once), lists without it, revokes, and refuses bad input', async () => {
    const env = { THREESIX_DATA_DIR: tempDir() };
    const run = async (args: string[], options = {}) => {
      let out = '';
      let err = '';
      const code = await runToken(args, options, env, { out: (t) => void (out += t), err: (t) => void (err += t) });
      return { code, out, err };
    };
    const created = await run(['create', 'ci-bot'], {
      scope: 'read',
      projects: 'team-a-*',
      maxProjects: '2',
      expires: '30d',
    });
    expect(created.code).toBe(0);
    const token = created.out.trim();
    expect(token).toMatch(/^tsx_[A-Za-z0-9_-]{43}$/);
    expect(created.err).not.toContain(token);
    const listed = await run(['list']);
    expect(listed.out).toMatch(
      /^ci-bot\tscope read, projects team-a-\*, max-projects 2, expires 20\d\d-.*, last used never, live$/m,
    );
    expect(listed.out + listed.err).not.toContain(token);
    expect((await run(['create', 'ci-bot'])).err).toMatch(/CONFLICT: token "ci-bot" already exists/);
    expect((await run(['create', 'x'], { scope: 'root' })).err).toMatch(/INVALID_INPUT: scope "root"/);
    expect((await run(['create', 'x'], { projects: 'a/b' })).err).toMatch(/may hold only/);
    expect((await run(['revoke', 'ci-bot'])).code).toBe(0);
    expect((await run(['list'])).out).toMatch(/ci-bot\t.*revoked/);
    expect((await run(['revoke', 'ci-bot'])).code).toBe(1);
    expect((await run(['frobnicate'])).code).toBe(2);
  });
});
