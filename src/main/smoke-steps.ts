/**
 * @module main/smoke-steps
 * The steps of `threesix-mcp smoke`, each a tool call (or git) and a check of what came back.
 * Each one prints its line through the report and throws on failure (see run-smoke.ts).
 */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { pushCommit } from './smoke-git.js';
import type { SmokeReport } from './smoke-report.js';
import { isSpecialUseZone } from '../domain/special-use-zone.js';
import { projectView } from '../../tools/schemas.js';
import { releaseSchema } from '../../tools/deploy-schemas.js';

/** A tool call's structured result; the MCP client has checked it against the tool's output schema. */
export type CallTool = (name: string, args: Record<string, unknown>) => Promise<Record<string, unknown>>;

// The fields the steps read, typed as the tools' output schemas declare them.
const createdSchema = z.object({ url: z.string(), cloneHttp: z.string().nullable().optional() });
const projectSchema = z.object({
  deployment: projectView.deployment,
  live: z.object({ ci: z.object({ data: z.record(z.string(), z.unknown()).optional() }) }),
});
/** What get_project's CI part says of the newest pipeline (a record there, so checked loosely). */
const lastPipelineSchema = z.object({ number: z.number(), status: z.string(), commit: z.string().nullable() });
const statusSchema = z.object({
  rollout: z.string(),
  release: releaseSchema.nullable(),
  workload: z.object({ readyReplicas: z.number(), desiredReplicas: z.number(), image: z.string().nullable() }),
});

export interface SmokeDeps {
  call: CallTool;
  report: SmokeReport;
  /** Gitea token the push authenticates with (GITEA_TOKEN). */
  gitToken: string;
  timeoutMs: number;
  pollMs?: number;
  /** Aborted on Ctrl-C: waits and git stop, so the run goes on to delete the project. */
  signal?: AbortSignal;
}

export interface CreatedProject {
  project: string;
  cloneHttp: string;
  url: string;
}

export interface PushedCommit {
  sha: string;
  /** A random string in the pushed page, which the live site must serve. */
  marker: string;
}

// In a special-use zone (domain/special-use-zone; the sandbox's threesix.local is one) a live
// fetch cannot work by definition, so the smoke says so and relies on the workload check instead.
export { isSpecialUseZone };

export function smokeSteps({ call, report, gitToken, timeoutMs, pollMs = 500, signal }: SmokeDeps) {
  const short = (sha: string | null | undefined) => (sha ? sha.slice(0, 12) : 'none');
  const seconds = `${Math.round(timeoutMs / 1000)} s`;
  // An interrupted wait fails its step with the signal's reason.
  const pause = (ms: number) =>
    sleep(ms, undefined, { signal }).catch(() => {
      signal?.throwIfAborted();
      throw new Error('interrupted');
    });

  return {
    create: (project: string) =>
      report.step(`create project ${project}`, async () => {
        signal?.throwIfAborted();
        const created = createdSchema.parse(
          await call('create_project', {
            name: project,
            description: 'threesix smoke check; deleted when the check ends',
          }),
        );
        if (!created.cloneHttp) throw new Error('create_project returned no HTTP clone URL');
        return {
          value: { project, cloneHttp: created.cloneHttp, url: created.url },
          detail: `${created.cloneHttp}, live URL ${created.url}`,
        };
      }),

    push: (created: CreatedProject) =>
      report.step('push a commit with git', async () => {
        const marker = `threesix-smoke-${randomBytes(8).toString('hex')}`;
        const sha = await pushCommit({
          cloneHttp: created.cloneHttp,
          token: gitToken,
          file: {
            path: 'index.html',
            content: `<!doctype html>\n<title>${created.project}</title>\n<p>${marker}</p>\n`,
          },
          message: 'smoke check page',
          signal,
        });
        return { value: { sha, marker }, detail: `commit ${short(sha)} on ${created.cloneHttp}` };
      }),

    awaitRollout: (project: string, pushed: PushedCommit) =>
      report.step('CI build and rollout', async () => {
        const deadline = performance.now() + timeoutMs;
        for (;;) {
          const view = projectSchema.parse(await call('get_project', { project }));
          const deployment = view.deployment;
          if (deployment.sha === pushed.sha && deployment.status === 'running') {
            return { value: undefined, detail: `commit ${short(pushed.sha)} deployed as ${deployment.image}` };
          }
          if (deployment.sha === pushed.sha && deployment.status === 'failed') {
            throw new Error(
              `the rollout of commit ${short(pushed.sha)} failed; deploy_status and logs {"project": "${project}"} say why`,
            );
          }
          if (performance.now() > deadline) {
            const seen = lastPipelineSchema.safeParse(view.live.ci.data?.lastPipeline);
            const pipeline = seen.success ? seen.data : undefined;
            const ci = pipeline
              ? `last pipeline #${pipeline.number} ${pipeline.status} for ${short(pipeline.commit)}`
              : 'no pipeline seen';
            const hint =
              pipeline?.commit === pushed.sha && pipeline.status === 'success'
                ? '; CI finished but no deploy came: its notify step calls THREESIX_PUBLIC_URL, which must reach a threesix on this database'
                : '';
            throw new Error(
              `commit ${short(pushed.sha)} not running within ${seconds}: deployment ${deployment.status} at ${short(deployment.sha)}; CI ${ci}${hint}`,
            );
          }
          await pause(pollMs);
        }
      }),

    checkWorkload: (project: string, pushed: PushedCommit) =>
      report.step('workload runs the pushed commit', async () => {
        const status = statusSchema.parse(await call('deploy_status', { project }));
        const { release, workload } = status;
        if (release?.commitSha !== pushed.sha)
          throw new Error(`the current release is of commit ${short(release?.commitSha)}, not ${short(pushed.sha)}`);
        if (status.rollout !== 'succeeded') throw new Error(`rollout ${status.rollout}`);
        if (workload.readyReplicas < 1)
          throw new Error(`no ready pod (${workload.readyReplicas}/${workload.desiredReplicas})`);
        // The cluster must run exactly the image CI built for this commit, pinned by its digest.
        if (!release.digest || !workload.image?.endsWith(`@${release.digest}`))
          throw new Error(`the Deployment runs ${workload.image}, not ${release.image} at ${release.digest}`);
        return {
          value: undefined,
          detail: `${workload.readyReplicas}/${workload.desiredReplicas} ready, ${workload.image} (${release.image})`,
        };
      }),

    checkLiveUrl: (created: CreatedProject, pushed: PushedCommit) =>
      report.step('live URL', async () => {
        const host = new URL(created.url).hostname;
        if (isSpecialUseZone(host)) {
          return {
            value: undefined,
            status: 'skip' as const,
            detail: `${host} is in a special-use zone no resolver answers for (as in the sandbox); the workload check above stands in for it`,
          };
        }
        const deadline = performance.now() + timeoutMs;
        let last = 'no answer yet';
        for (;;) {
          try {
            const response = await fetch(created.url, { signal: AbortSignal.timeout(10_000), redirect: 'follow' });
            const body = await response.text();
            if (response.ok && body.includes(pushed.marker))
              return { value: undefined, detail: `${created.url} answered ${response.status} with the pushed page` };
            last = response.ok ? `${response.status}, but not the pushed page` : `HTTP ${response.status}`;
          } catch (error) {
            const cause = (error as { cause?: { code?: string; message?: string } }).cause;
            last = cause?.code ?? cause?.message ?? (error as Error).message;
          }
          if (performance.now() > deadline)
            throw new Error(
              `${created.url} did not serve the pushed page within ${seconds} (last: ${last}); check DNS, the Ingress and its certificate`,
            );
          await pause(pollMs * 4); // 2 s by default: a site coming up, a certificate being issued
        }
      }),
  };
}
