/**
 * @module http/woodpecker-webhook-routes
 * `POST /webhooks/woodpecker`, called by the pipeline's notify step (and, with `status: "failure"`,
 * its report-failure step: 202 `build_failed`, recorded, nothing deployed). The raw body (at most
 * 64 KiB) is judged by the ci-webhook service; an accepted delivery is queued and answered 202 at
 * once, the deploy runs in the background queue. Status codes:
 * 202 queued · 400 malformed JSON · 401 missing/wrong token or signature · 403 another project's
 * token · 404 unknown project · 409 duplicate, already deployed or stale commit · 413 body over
 * 64 KiB · 422 invalid body, a body naming an image, a non-default branch, image not in the
 * registry · 429 too many refused unauthenticated deliveries from this address (Retry-After) ·
 * 503 a backend needed for the checks is unavailable (retry).
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { WEBHOOK_PATH } from '../domain/ci-deploy.js';
import type { AppContext } from '../services/shared/app-context.js';
import { SIGNATURE_HEADER } from '../services/ci/ci-webhook-auth.js';
import { RefusalLimiter } from '../services/ci/ci-webhook-limiter.js';
import {
  receiveCiWebhook,
  recordRejectedDelivery,
  type WebhookOutcome,
  type WebhookReason,
} from '../services/ci/ci-webhook.service.js';
import { limitBody } from './body-limit.js';

export const WEBHOOK_BODY_LIMIT = 64 * 1024;

const STATUS: Record<WebhookReason, ContentfulStatusCode> = {
  queued: 202,
  build_failed: 202,
  malformed_json: 400,
  unauthenticated: 401,
  bad_signature: 401,
  wrong_project: 403,
  unknown_project: 404,
  duplicate: 409,
  already_deployed: 409,
  stale: 409,
  project_deleting: 409,
  too_large: 413,
  invalid_body: 422,
  image_in_body: 422,
  repo_mismatch: 422,
  not_default_branch: 422,
  image_missing: 422,
  unavailable: 503,
  throttled: 429,
};

/**
 * The socket's remote address. X-Forwarded-For is not trusted (anyone can set it), so behind a
 * proxy every client shares the proxy's bucket, as they do when there is no socket (in-process tests).
 */
function clientOf(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function retryAfter(c: Context, outcome: WebhookOutcome): void {
  if (outcome.retryAfterS !== undefined) c.header('Retry-After', String(outcome.retryAfterS));
}

export function woodpeckerWebhookRoutes(
  app: AppContext,
  options: { onQueued(project: string): void; limiter?: RefusalLimiter },
): Hono {
  const routes = new Hono();
  const limiter = options.limiter ?? new RefusalLimiter();
  routes.post(
    WEBHOOK_PATH,
    limitBody({
      maxSize: WEBHOOK_BODY_LIMIT,
      onError: async (c) => {
        const outcome = await recordRejectedDelivery(app, 'too_large', `the body is over ${WEBHOOK_BODY_LIMIT} bytes`, {
          limiter,
          client: clientOf(c),
        });
        c.header('Connection', 'close');
        retryAfter(c, outcome);
        return c.json({ status: 'rejected', reason: outcome.reason, message: outcome.message }, STATUS[outcome.reason]);
      },
    }),
    async (c) => {
      const outcome = await receiveCiWebhook(
        app,
        {
          rawBody: await c.req.text(),
          authorization: c.req.header('authorization'),
          signature: c.req.header(SIGNATURE_HEADER),
          idempotencyKey: c.req.header('idempotency-key'),
        },
        { limiter, client: clientOf(c) },
      );
      if (outcome.reason === 'queued' && outcome.project) options.onQueued(outcome.project);
      if (outcome.reason === 'unauthenticated' || outcome.reason === 'bad_signature')
        c.header('WWW-Authenticate', 'Bearer realm="threesix-deploy"');
      retryAfter(c, outcome);
      const body = {
        status: outcome.reason === 'build_failed' ? 'recorded' : outcome.accepted ? 'queued' : 'rejected',
        reason: outcome.reason,
        message: outcome.message,
        ...(outcome.deployId ? { deployId: outcome.deployId } : {}),
      };
      return c.json(body, STATUS[outcome.reason]);
    },
  );
  return routes;
}
