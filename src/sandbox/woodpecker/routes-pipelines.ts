/**
 * @module sandbox/woodpecker/routes-pipelines
 * Starting pipelines and reading step logs, routed as server/router/api.go of
 * woodpecker-ci/woodpecker v3 registers them, with the handlers' answers (server/api/pipeline.go):
 *   POST /repos/:repo_id/pipelines {branch}          CreatePipeline: the branch head from the forge
 *        (without one, AbortWithError 500: the status and no body), event `manual`, message
 *        "MANUAL PIPELINE @ <branch>", ref refs/heads/<branch>; 200 Pipeline, or 204 when the
 *        repository has no config or its `when` admits no workflow (pipeline.Create makes none:
 *        ErrFiltered, answered with `Pipeline-Filtered: true`); 400 (no body) on a body
 *        that is not JSON.
 *   POST /repos/:repo_id/pipelines/:pipeline_number  PostPipeline → pipeline.Restart: a new pipeline
 *        of the same commit and event with `parent` set; 404 for an unknown number (session.SetPipeline).
 *   GET  /repos/:repo_id/logs/:pipeline_number/:step_id  GetStepLogs: LogEntry[]; 404 for an unknown
 *        pipeline or step (session.SetStep looks the step up by its id within the pipeline).
 * (Listing and reading pipelines are in routes-repos.ts.)
 */
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { simulatePipeline } from './simulate-pipeline.js';
import { renderLog, renderPipeline } from './woodpecker-render.js';
import { textError, type WoodpeckerContext } from './woodpecker-app.js';
import type { StandInPipeline, StandInRepo } from './woodpecker-state.js';

/** Runs `pipeline` in the background; stop() and settle() wait for it. */
export function launchPipeline(ctx: WoodpeckerContext, repo: StandInRepo, pipeline: StandInPipeline): Promise<void> {
  const run = simulatePipeline(
    { forge: ctx.forge, state: ctx.state, systemUrl: ctx.site.url, logger: ctx.logger },
    repo,
    pipeline,
  ).finally(() => ctx.running.delete(run));
  ctx.running.add(run);
  return run;
}

export function pipelineRoutes(ctx: WoodpeckerContext, requireUser: MiddlewareHandler): Hono {
  const app = new Hono();
  const repoOf = (c: Context) => ctx.state.repos.get(Number(c.req.param('id')));
  const pipelineOf = (repo: StandInRepo | undefined, c: Context) =>
    repo?.pipelines.find((p) => p.number === Number(c.req.param('number')));

  app.post('/repos/:id/pipelines', requireUser, async (c) => {
    const repo = repoOf(c);
    if (!repo) return textError(c, 404, 'Not Found');
    const options = (await c.req.json().catch(() => undefined)) as { branch?: unknown } | undefined;
    if (!options || typeof options !== 'object') return c.body(null, 400);
    const branch = typeof options.branch === 'string' ? options.branch : '';
    const head = branch ? await ctx.forge.branchHead(repo.owner, repo.name, branch) : undefined;
    if (!head) return c.body(null, 500);
    const pipeline = ctx.state.newPipeline(repo, {
      event: 'manual',
      branch,
      commit: head,
      ref: `refs/heads/${branch}`,
      message: `MANUAL PIPELINE @ ${branch}`,
      author: 'threesix-bot',
    });
    return started(c, ctx, repo, pipeline);
  });

  app.post('/repos/:id/pipelines/:number', requireUser, async (c) => {
    const repo = repoOf(c);
    const old = pipelineOf(repo, c);
    if (!repo || !old) return c.body(null, 404);
    const pipeline = ctx.state.newPipeline(repo, {
      event: old.event,
      branch: old.branch,
      commit: old.commit,
      ref: old.ref,
      message: old.message,
      author: old.author,
      parent: old.number,
    });
    return started(c, ctx, repo, pipeline);
  });

  app.get('/repos/:id/logs/:number/:stepId', requireUser, (c) => {
    const step = pipelineOf(repoOf(c), c)?.steps.find((s) => s.id === Number(c.req.param('stepId')));
    return step ? c.json(renderLog(step)) : c.body(null, 404);
  });
  return app;
}

/**
 * Answers once the simulation decided whether the config runs (it reads the file first): 204 when
 * its `when` dropped the pipeline, else the pipeline as it is now.
 */
async function started(c: Context, ctx: WoodpeckerContext, repo: StandInRepo, pipeline: StandInPipeline) {
  const run = launchPipeline(ctx, repo, pipeline);
  await Promise.race([run, waitFor(() => pipeline.steps.length > 0)]);
  // handlePipelineErr (server/api/helper.go): ErrFiltered is 204 with this header "for debugging".
  if (!repo.pipelines.includes(pipeline)) return c.body(null, 204, { 'Pipeline-Filtered': 'true' });
  return c.json(renderPipeline(repo, pipeline));
}

async function waitFor(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}
