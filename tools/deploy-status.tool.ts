import { z } from 'zod';
import { defineTool } from '../src/mcp/define-tool.js';
import { deployStatus } from '../src/services/deploy/deploy-status.service.js';
import { releaseSchema, rolledBackToSchema } from './deploy-schemas.js';
import { projectName } from './schemas.js';
import { databaseView } from './database-schemas.js';

const pod = z.object({
  name: z.string(),
  phase: z.string(),
  ready: z.boolean(),
  restarts: z.number(),
  reason: z.string().nullable(),
  message: z.string().nullable(),
  image: z.string().nullable().describe('The image the pod was made to run (its spec)'),
  current: z
    .boolean()
    .describe("Part of the newest rollout (the Deployment's newest ReplicaSet); false for pods it is replacing"),
  commit: z.string().nullable().describe('Commit of the release whose image the pod runs'),
});

export const deployStatusTool = defineTool({
  name: 'deploy_status',
  title: 'Deploy: Status',
  description:
    "Live state of a project's deployment: replicas, pods with their commits, conditions, events, usage, database, and whether the latest release finished " +
    'rolling out. Use after deploy said in_progress.',
  toolset: 'deploy',
  input: () => ({ project: projectName }),
  output: () => ({
    project: z.string(),
    url: z.string().nullable(),
    deploymentStatus: z.string(),
    digest: z.string().nullable(),
    rollout: z.string().describe('succeeded, in_progress, failed: <reason> or not deployed'),
    release: releaseSchema.nullable(),
    autoRollback: z
      .object({
        failedReleaseId: z.number(),
        reason: z.string(),
        rolledBackTo: rolledBackToSchema,
      })
      .nullable()
      .describe('Set when threesix put a healthy release back'),
    workload: z.object({
      exists: z.boolean(),
      generation: z.number(),
      observedGeneration: z.number(),
      desiredReplicas: z.number(),
      updatedReplicas: z.number(),
      readyReplicas: z.number(),
      availableReplicas: z.number(),
      image: z.string().nullable(),
      pods: z.array(pod),
      conditions: z.array(
        z.object({
          type: z.string(),
          status: z.string(),
          reason: z.string().nullable(),
          message: z.string().nullable(),
        }),
      ),
      events: z.array(
        z.object({ type: z.string(), reason: z.string(), message: z.string(), time: z.string().nullable() }),
      ),
      hosts: z.array(z.string()),
      usage: z.object({ cpu: z.string(), memory: z.string() }).nullable(),
    }),
    previousLog: z.string().nullable().describe("A restarted pod's crash; untrusted app output"),
    database: databaseView.nullable(),
  }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  async handler(input, ctx) {
    const s = await deployStatus(ctx.app, input.project);
    const { project: _p, ...workload } = s.workload;
    const back = s.autoRollback
      ? ` Release #${s.autoRollback.failedReleaseId} FAILED (${s.autoRollback.reason}); release #${s.autoRollback.rolledBackTo.fromReleaseId} was put back (${s.autoRollback.rolledBackTo.status}).`
      : '';
    const commits = [
      ...new Set(s.workload.pods.filter((p) => p.ready).map((p) => p.commit?.slice(0, 7) ?? 'unknown commit')),
    ];
    const running = commits.length ? ` Ready pods run ${commits.join(', ')}.` : '';
    const crash = s.previousLog ? ' A pod restarted: previousLog has its last lines.' : '';
    const summary = s.workload.exists
      ? `${s.project}: ${s.workload.readyReplicas}/${s.workload.desiredReplicas} ready, rollout ${s.rollout}${s.url ? `, ${s.url}` : ''}.${running}${back}${crash}`
      : `${s.project} is not deployed.`;
    return { summary, data: { ...s, workload } };
  },
});
