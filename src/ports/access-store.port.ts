/**
 * @module ports/access-store
 * Agent tokens and project ownership. A token is stored only as its sha256 hash; the token itself is
 * shown once, by `threesix-mcp token create`, and never again.
 */

export type Scope = 'read' | 'write' | 'admin';

export interface AgentTokenRecord {
  name: string;
  /** sha256 hex of the token. */
  hash: string;
  scope: Scope;
  /** Project name globs this token may see and act on; empty means every project. */
  projects: string[];
  /** How many projects this token may own at once; null for no bound. */
  maxProjects: number | null;
  expiresAt: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export type NewAgentToken = Pick<
  AgentTokenRecord,
  'name' | 'hash' | 'scope' | 'projects' | 'maxProjects' | 'expiresAt'
>;

export interface AccessStore {
  /** CONFLICT when a token of that name exists and is not revoked; a revoked one is replaced. */
  createToken(token: NewAgentToken): Promise<AgentTokenRecord>;
  /** The token with this hash (an indexed lookup), revoked or not. */
  findTokenByHash(hash: string): Promise<AgentTokenRecord | undefined>;
  /** By name, revoked ones included. */
  listTokens(): Promise<AgentTokenRecord[]>;
  /** False when there is no live token of that name. */
  revokeToken(name: string): Promise<boolean>;
  /** Whether any token was ever made (revoked ones count): from then on /mcp needs a token. */
  anyToken(): Promise<boolean>;
  touchToken(name: string, at: string): Promise<void>;
  /** Records `token` as the owner of `project` unless it already has one. */
  claimProject(project: string, token: string): Promise<void>;
  /** Existing projects owned by `token`. */
  countOwnedProjects(token: string): Promise<number>;
  /** Records who started an operation or made a release (right after the row is written). */
  recordActor(row: { operation: string } | { release: number }, actor: string): Promise<void>;
  /** Who started that operation or made that release over MCP; null when not recorded. */
  actorOf(row: { operation: string } | { release: number }): Promise<string | null>;
}
