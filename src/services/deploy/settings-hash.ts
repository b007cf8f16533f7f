/**
 * @module services/deploy/settings-hash
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * Identifies a deploy's env and secret values without revealing them. A plain sha256 would let
 * anyone who can read a release confirm a guess at a short secret, so the hash is an HMAC keyed by
 * a random per-installation key that threesix makes on first use and never shows. Equal settings
 * give equal hashes within one installation, which is all the "same deploy" check needs.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { AppContext } from '../shared/app-context.js';

const KEY_NAME = 'settings-hmac-key';

/** Stands for one secret value in project settings: equal values give equal digests within one installation. */
export async function digestSecretValue(app: AppContext, name: string, value: string): Promise<string> {
  const key = await app.store.installSecrets.getOrCreate(KEY_NAME, () => randomBytes(32).toString('base64'));
  return createHmac('sha256', Buffer.from(key, 'base64'))
    .update(JSON.stringify({ secret: name, value }))
    .digest('hex')
    .slice(0, 32);
}

export async function hashSettings(
  app: AppContext,
  env: Record<string, string>,
  secrets: Record<string, string>,
): Promise<string> {
  const key = await app.store.installSecrets.getOrCreate(KEY_NAME, () => randomBytes(32).toString('base64'));
  const sorted = (o: Record<string, string>) =>
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]);
  return createHmac('sha256', Buffer.from(key, 'base64'))
    .update(JSON.stringify({ env: sorted(env), secrets: sorted(secrets) }))
    .digest('hex')
    .slice(0, 32);
}
