/**
 * @module sandbox/gitea/gitea-webhooks
 * Fires a repository's push hooks the way Gitea's `services/webhook/deliver.go` does: the payload
 * indented with two spaces, signed with hex HMAC-SHA256 (and SHA-1) of the exact body bytes, and
 * the X-Gitea-* / X-Gogs-* / X-GitHub-* headers. Deliveries are never retried, as in Gitea.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { Logger } from '../../ports/logger.port.js';
import type { HookRecord } from './gitea-state.js';

export interface Delivery {
  hookId: number;
  url: string;
  /** HTTP status, or 0 when the receiver could not be reached. */
  status: number;
}

export function hookWants(hook: HookRecord, event: string, branch: string | undefined): boolean {
  if (!hook.active || !(hook.events.length === 0 ? event === 'push' : hook.events.includes(event))) return false;
  if (!branch || hook.branchFilter === '' || hook.branchFilter === '*') return true;
  return globMatch(hook.branchFilter, branch);
}

export async function deliver(hook: HookRecord, event: string, payload: unknown, logger?: Logger): Promise<Delivery> {
  const json = JSON.stringify(payload, null, 2);
  const id = randomUUID();
  const sha256 = hook.secret ? createHmac('sha256', hook.secret).update(json).digest('hex') : '';
  const sha1 = hook.secret ? createHmac('sha1', hook.secret).update(json).digest('hex') : '';
  const headers: Record<string, string> = {
    'X-Gitea-Delivery': id,
    'X-Gogs-Delivery': id,
    'X-GitHub-Delivery': id,
    'X-Gitea-Event': event,
    'X-Gogs-Event': event,
    'X-GitHub-Event': event,
    'X-Gitea-Event-Type': event,
    'X-Gogs-Event-Type': event,
    'X-GitHub-Event-Type': event,
    'X-Gitea-Signature': sha256,
    'X-Gogs-Signature': sha256,
    'X-Hub-Signature': sha1 ? `sha1=${sha1}` : '',
    'X-Hub-Signature-256': sha256 ? `sha256=${sha256}` : '',
    'Content-Type': hook.contentType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
    'User-Agent': 'Go-http-client/1.1',
  };
  if (hook.authorizationHeader) headers.Authorization = hook.authorizationHeader;
  const body = hook.contentType === 'form' ? new URLSearchParams({ payload: json }).toString() : json;
  try {
    const response = await fetch(hook.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(5000) });
    await response.body?.cancel().catch(() => undefined);
    logger?.debug('gitea stand-in: webhook delivered', { hook: hook.id, event, status: response.status });
    return { hookId: hook.id, url: hook.url, status: response.status };
  } catch (error) {
    logger?.warn('gitea stand-in: webhook delivery failed', { hook: hook.id, event, err: String(error) });
    return { hookId: hook.id, url: hook.url, status: 0 };
  }
}

/** Gitea's branch_filter is a glob; `*` within a segment, `**` across, `{a,b}` alternatives. */
function globMatch(pattern: string, value: string): boolean {
  const regex = pattern
    .replace(/[.+^$()|[\]\\]/g, '\\$&')
    .replace(/\{([^}]*)\}/g, (_m, alts: string) => `(${alts.split(',').join('|')})`)
    .replace(/\*\*/g, '\u0000')
    .replace(/\*/g, '[^/]*')
    .replaceAll('\u0000', '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}
