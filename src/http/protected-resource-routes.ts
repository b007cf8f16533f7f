/**
 * @module http/protected-resource-routes
 * OAuth 2.0 Protected Resource Metadata (RFC 9728) for /mcp, as the MCP authorization spec asks:
 * the resource, how to present a token (header only), the scopes, and, when THREESIX_OIDC_ISSUER
 * is set, the authorization server whose tokens are accepted. Served at the well-known URI and at
 * its path-suffixed form for /mcp (RFC 9728 §3.1); public, since a client reads it before it has
 * a token (the 401s name it in WWW-Authenticate, §5.1).
 */
import { Hono, type Context } from 'hono';
import { SCOPES } from '../services/access/scope-rules.js';

export const PROTECTED_RESOURCE_PATH = '/.well-known/oauth-protected-resource';

export function protectedResourceRoutes(options: { publicUrl: string | undefined; issuer: string | undefined }): Hono {
  const routes = new Hono();
  const metadata = (c: Context) =>
    c.json({
      resource: `${(options.publicUrl ?? new URL(c.req.url).origin).replace(/\/$/, '')}/mcp`,
      resource_name: 'threesix',
      authorization_servers: options.issuer ? [options.issuer] : [],
      bearer_methods_supported: ['header'],
      scopes_supported: [...SCOPES],
    });
  routes.get(PROTECTED_RESOURCE_PATH, metadata);
  routes.get(`${PROTECTED_RESOURCE_PATH}/mcp`, metadata);
  return routes;
}
