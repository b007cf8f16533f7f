/**
 * @module services/access/project-patterns
 * Project globs of a token (`--projects 'team-a-*,demo'`): `*` is any run of characters and `?` one
 * character; project names are [a-z0-9-], so nothing else needs escaping. An empty list matches
 * every project.
 */

const GLOB = /^[a-z0-9*?-]{1,63}$/;

/** Throws when a glob could never name a project (upper case, dots, slashes). */
export function parseProjectPatterns(text: string): string[] {
  const globs = text
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
  for (const glob of globs) {
    if (!GLOB.test(glob)) throw new Error(`project pattern "${glob}" may hold only a-z, 0-9, "-", "*" and "?"`);
  }
  return globs;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
}

export function matchesProjectPatterns(patterns: readonly string[], project: string): boolean {
  return patterns.length === 0 || patterns.some((glob) => globToRegExp(glob).test(project));
}
