/**
 * @module services/access/identity
 * Who is calling over HTTP, as the token check established it. Stdio and an open loopback server
 * have no identity: they act as the operator, as before tokens existed.
 */
import type { Scope } from '../../ports/access-store.port.js';

export interface AccessIdentity {
  /** The token's name (or "operator", or the JWT subject): the actor in the audit trail. */
  name: string;
  scope: Scope;
  /** Project globs; empty means every project. */
  projects: string[];
  /** Bound on projects this identity may own at once; null for none. */
  maxProjects: number | null;
  source: 'token' | 'operator' | 'oidc';
}

export const OPERATOR: AccessIdentity = {
  name: 'operator',
  scope: 'admin',
  projects: [],
  maxProjects: null,
  source: 'operator',
};
