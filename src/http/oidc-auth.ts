/**
 * @module http/oidc-auth
 * JWTs of the operator's OIDC issuer (THREESIX_OIDC_ISSUER), accepted on /mcp beside agent tokens.
 * `jose` does the JOSE work (signature against the issuer's JWKS, exp/nbf, issuer, audience); it is
 * imported on the first JWT, never on the start path. The JWKS URL comes from the issuer's
 * discovery document (OpenID Connect Discovery 1.0 §4); jose caches the keys and refetches on an
 * unknown key id, so a key rotation needs no restart. Any failure is "no identity" (401), and the
 * reason goes to the debug log without the token.
 */
import type { Logger } from '../ports/logger.port.js';
import { identityFromClaims, type ClaimNames } from '../services/access/oidc-claims.js';
import type { ExternalTokenCheck } from './token-auth.js';

export interface OidcOptions {
  issuer: string;
  audience: string;
  claims: ClaimNames;
  logger: Logger;
}

export function oidcTokenCheck(options: OidcOptions): ExternalTokenCheck {
  type Jose = typeof import('jose');
  let keys: Promise<{ jose: Jose; jwks: ReturnType<Jose['createRemoteJWKSet']> }> | undefined;
  const load = () =>
    (keys ??= (async () => {
      const jose = await import('jose');
      const discovery = new URL(`${options.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
      const answer = await fetch(discovery, { signal: AbortSignal.timeout(5000) });
      if (!answer.ok) throw new Error(`OIDC discovery answered ${answer.status}`);
      const document = (await answer.json()) as { jwks_uri?: unknown };
      if (typeof document.jwks_uri !== 'string') throw new Error('OIDC discovery document has no jwks_uri');
      return { jose, jwks: jose.createRemoteJWKSet(new URL(document.jwks_uri)) };
    })().catch((error) => {
      keys = undefined; // try discovery again on the next JWT
      throw error;
    }));
  return async (bearer) => {
    try {
      const { jose, jwks } = await load();
      const { payload } = await jose.jwtVerify(bearer, jwks, { issuer: options.issuer, audience: options.audience });
      return identityFromClaims(payload, options.claims);
    } catch (error) {
      options.logger.debug('bearer JWT refused', { reason: (error as Error).message });
      return undefined;
    }
  };
}
