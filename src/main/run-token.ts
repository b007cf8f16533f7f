/**
 * @module main/run-token
 * `threesix-mcp token create|list|revoke`: agent tokens for /mcp, kept in the database beside the
 * projects (THREESIX_DATA_DIR), so every replica on that database sees a revocation at once.
 * `create` prints the token once, alone on stdout (so `TOKEN=$(threesix-mcp token create x)`
 * works); only its hash is stored. Nothing here prints a token again.
 */
import { loadConfig } from '../config.js';
import { isDomainError } from '../domain/errors.js';
import type { AgentTokenRecord, Scope } from '../ports/access-store.port.js';
import { createAgentToken, isLive, parseDuration } from '../services/access/agent-tokens.js';
import { parseProjectPatterns } from '../services/access/project-patterns.js';

export interface TokenOptions {
  scope?: string;
  projects?: string;
  maxProjects?: string;
  expires?: string;
}

export interface TokenIo {
  out(text: string): void;
  err(text: string): void;
}

const stdio: TokenIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** Returns the exit code: 0 done, 1 failed, 2 usage error. */
export async function runToken(
  args: string[],
  options: TokenOptions,
  env: NodeJS.ProcessEnv = process.env,
  io: TokenIo = stdio,
): Promise<number> {
  const [action, name] = args;
  const usage = (message: string) => {
    io.err(
      `threesix-mcp token: ${message}\nUsage: token create NAME [--scope read|write|admin] [--projects GLOB[,GLOB]] [--max-projects N] [--expires 30d] | token list | token revoke NAME\n`,
    );
    return 2;
  };
  if (action !== 'create' && action !== 'list' && action !== 'revoke') return usage(`unknown action "${action ?? ''}"`);
  if (action !== 'list' && !name) return usage(`${action} needs a token NAME`);
  const config = loadConfig(env);
  const { openStateStore } = await import('./open-state-store.js');
  const store = await openStateStore(config);
  try {
    if (action === 'create') {
      const maxProjects = options.maxProjects === undefined ? null : Number(options.maxProjects);
      const { token, record } = await createAgentToken(store.access, {
        name: name!,
        scope: options.scope as Scope | undefined,
        projects: options.projects === undefined ? [] : parseProjectPatterns(options.projects),
        maxProjects,
        expiresInMs: options.expires === undefined ? undefined : parseDuration(options.expires),
      });
      io.out(`${token}\n`);
      io.err(`token "${record.name}" created: ${describe(record)}. It is shown this once; store it now.\n`);
      return 0;
    }
    if (action === 'list') {
      const tokens = await store.access.listTokens();
      io.out(tokens.length === 0 ? 'no tokens\n' : `${tokens.map((t) => `${t.name}\t${describe(t)}`).join('\n')}\n`);
      return 0;
    }
    if (!(await store.access.revokeToken(name!))) {
      io.err(`threesix-mcp token: no live token named "${name}" (token list shows them)\n`);
      return 1;
    }
    io.err(`token "${name}" revoked: it is refused from its next request on\n`);
    return 0;
  } catch (error) {
    io.err(`threesix-mcp token: ${isDomainError(error) ? error.toText() : (error as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

function describe(t: AgentTokenRecord): string {
  const state = t.revokedAt ? `revoked ${t.revokedAt}` : isLive(t) ? 'live' : `expired ${t.expiresAt}`;
  return [
    `scope ${t.scope}`,
    `projects ${t.projects.length ? t.projects.join(',') : '*'}`,
    `max-projects ${t.maxProjects ?? 'none'}`,
    `expires ${t.expiresAt ?? 'never'}`,
    `last used ${t.lastUsedAt ?? 'never'}`,
    state,
  ].join(', ');
}
