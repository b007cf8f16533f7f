/**
 * @module http/token-auth
 * Who may use /mcp (and /metrics): the operator's THREESIX_HTTP_TOKEN (admin), an agent token from
 * `threesix-mcp token create`, or, when an OIDC issuer is configured, one of its JWTs. While none
 * of these is set up the endpoint stays open (loopback only; run-serve refuses other addresses), as
 * before tokens existed. Each request is checked against the database, so a revoked or expired
 * token is refused on its very next request, on every replica. The identity found is put on the
 * request for the MCP session (`c.get('identity')`).
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { AccessStore, Scope } from '../ports/access-store.port.js';
import { authenticateAgentToken, looksLikeAgentToken } from '../services/access/agent-tokens.js';
import { OPERATOR, type AccessIdentity } from '../services/access/identity.js';
import { SCOPES } from '../services/access/scope-rules.js';
import { tokensEqual } from './bearer-auth.js';

declare module 'hono' {
  interface ContextVariableMap {
    identity: AccessIdentity | undefined;
  }
}

/** Checks a bearer value that is neither the operator token nor an agent token (an OIDC JWT). */
export type ExternalTokenCheck = (bearer: string) => Promise<AccessIdentity | undefined>;

export interface TokenAuthOptions {
  operatorToken: string | undefined;
  access: AccessStore;
  /** Present when THREESIX_OIDC_ISSUER is set. */
  external?: ExternalTokenCheck;
  /** Least scope the routes need (admin for /metrics); any scope by default. */
  minScope?: Scope;
  /** URL of /.well-known/oauth-protected-resource, named in WWW-Authenticate (RFC 9728 §5.1). */
  resourceMetadataUrl?: (c: Context) => string;
}

export function tokenAuth(options: TokenAuthOptions): MiddlewareHandler {
  const refuse = (c: Context, status: 401 | 403, message: string) => {
    const metadata = options.resourceMetadataUrl ? `, resource_metadata="${options.resourceMetadataUrl(c)}"` : '';
    c.header(
      'WWW-Authenticate',
      `Bearer realm="threesix"${status === 403 ? ', error="insufficient_scope"' : ''}${metadata}`,
    );
    return c.json({ error: { code: 'PERMISSION_DENIED', message } }, status);
  };
  return async function tokenAuthMiddleware(c, next) {
    const match = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '');
    const bearer = match?.[1]?.trim();
    if (bearer === undefined) {
      if (await authRequired(options)) return refuse(c, 401, 'missing bearer token');
      c.set('identity', undefined);
      return next();
    }
    const identity = await identify(options, bearer);
    if (!identity) {
      // Nothing set up yet: the server is open, and a stray header changes nothing (as before tokens).
      if (!(await authRequired(options))) {
        c.set('identity', undefined);
        return next();
      }
      return refuse(c, 401, 'unknown, revoked or expired bearer token');
    }
    if (options.minScope && SCOPES.indexOf(identity.scope) < SCOPES.indexOf(options.minScope)) {
      return refuse(c, 403, `this needs a token with scope ${options.minScope}`);
    }
    c.set('identity', identity);
    return next();
  };
}

/** Once an operator token, an OIDC issuer or any agent token exists, /mcp needs a token. */
async function authRequired(options: TokenAuthOptions): Promise<boolean> {
  return options.operatorToken !== undefined || options.external !== undefined || options.access.anyToken();
}

async function identify(options: TokenAuthOptions, bearer: string): Promise<AccessIdentity | undefined> {
  if (options.operatorToken !== undefined && tokensEqual(bearer, options.operatorToken)) return OPERATOR;
  if (looksLikeAgentToken(bearer)) return authenticateAgentToken(options.access, bearer);
  return options.external?.(bearer);
}
