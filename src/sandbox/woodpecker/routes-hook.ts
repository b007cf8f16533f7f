/**
 * @module sandbox/woodpecker/routes-hook
 * `POST /api/hook?access_token=<token>`: the forge's push webhook. The token in the URL is the
 * authentication (as in Woodpecker, which ignores Gitea's signature); the payload's repository
 * id must match the token's repository. A push to a branch starts a simulated pipeline in the
 * background and is answered at once with the pipeline, well within Gitea's 5 s timeout.
 */
import type { Context } from 'hono';
import { launchPipeline } from './routes-pipelines.js';
import { renderPipeline } from './woodpecker-render.js';
import { textError, type WoodpeckerContext } from './woodpecker-app.js';

interface PushPayload {
  ref?: string;
  after?: string;
  repository?: { id?: number };
  head_commit?: { message?: string; author?: { name?: string } } | null;
  pusher?: { login?: string };
}

export async function pipelineForPush(c: Context, ctx: WoodpeckerContext) {
  const repo = ctx.state.byHookToken(c.req.query('access_token') ?? '');
  if (!repo) return textError(c, 400, 'failure to parse token from hook');
  const event = c.req.header('x-gitea-event');
  if (event !== 'push') return c.text(`ignoring hook: event ${event ?? 'unknown'} is not simulated`, 200);
  const payload = (await c.req.json().catch(() => undefined)) as PushPayload | undefined;
  if (!payload || payload.repository?.id !== repo.forgeRemoteId) return textError(c, 400, 'failure to parse hook');
  if (!repo.active) return c.body(null, 204);
  const ref = payload.ref ?? '';
  if (!ref.startsWith('refs/heads/') || !/^[0-9a-f]{40}$/.test(payload.after ?? '') || /^0+$/.test(payload.after!)) {
    return c.text('ignoring hook: not a branch push', 200);
  }
  const pipeline = ctx.state.newPipeline(repo, {
    branch: ref.slice('refs/heads/'.length),
    commit: payload.after!,
    ref,
    message: payload.head_commit?.message ?? '',
    author: payload.head_commit?.author?.name ?? payload.pusher?.login ?? '',
  });
  void launchPipeline(ctx, repo, pipeline);
  return c.json(renderPipeline(repo, pipeline));
}
