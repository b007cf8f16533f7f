/**
 * @module main/ci-webhook
 * The CI deploy path at start-up: the persisted deploy queue (resuming what a previous run left)
 * running deployRelease, and the webhook route group that feeds it. Started by `serve`, and by
 * `stdio --sandbox` on its own loopback listener (see webhook-listener.ts).
 */
import type { Hono } from 'hono';
import { woodpeckerWebhookRoutes } from '../http/woodpecker-webhook-routes.js';
import type { AppContext } from '../services/shared/app-context.js';
import { deployRelease } from '../services/deploy/deploy-release.service.js';
import { createDeployQueue, type DeployQueue } from '../services/deploy/deploy-queue.service.js';

export interface CiWebhook {
  routes: Hono;
  queue: DeployQueue;
}

/** Touches nothing yet: call `queue.resume()` once the database may open (startBackground). */
export function createCiWebhook(app: AppContext): CiWebhook {
  const queue = createDeployQueue(app, (ctx, input) => deployRelease(ctx, input));
  return { routes: woodpeckerWebhookRoutes(app, { onQueued: (project) => queue.kick(project) }), queue };
}
