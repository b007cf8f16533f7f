/**
 * @module services/get-project
 * get_project: the stored row plus what every backend says right now, asked in parallel, each
 * within its own time bound. A slow or failing backend yields its own error in the answer; the
 * call itself only fails when the project does not exist.
 */
import { isDomainError } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { Project } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';
import type { BackendSlot } from '../shared/backends.js';
import type { BackendProbe } from '../../ports/backend-probe.port.js';
import type { CiServer } from '../../ports/ci-server.port.js';
import type { GitHost } from '../../ports/git-host.port.js';
import { FAILING_STATES } from '../builds/ci-project.js';
import { toProjectView, type ProjectView } from './project-view.js';
import { usageSummary, type UsageSummary } from '../usage/usage-summary.service.js';
import { withTimeout } from '../shared/with-timeout.js';
import { toDatabaseView } from '../databases/database-view.js';

export interface BackendState {
  status: 'ok' | 'error' | 'not_configured';
  error?: string;
  data?: Record<string, unknown>;
}

export interface ProjectStatus extends ProjectView {
  live: { git: BackendState; ci: BackendState; dns: BackendState; deployment: BackendState; database: BackendState };
  /** The newest unfinished create or delete, when one exists. */
  operation: { id: string; kind: string; status: string; error: string | null } | null;
  /** Usage history from the background sampler (the database; never waits on the cluster). */
  usage: UsageSummary;
}

export async function getProject(app: AppContext, name: string): Promise<ProjectStatus> {
  validateProjectName(name, app.config.THREESIX_RESERVED_NAMES);
  const project = await app.store.projects.require(name);
  const ms = app.config.THREESIX_STATUS_TIMEOUT_MS;
  const ask = <T extends BackendProbe>(
    slot: BackendSlot<T>,
    what: string,
    read: (port: T) => Promise<Record<string, unknown>>,
  ) => askBackend(app, slot, what, ms, read);
  const [git, ci, dns, deployment, database, operation, usage] = await Promise.all([
    ask(app.backends.git, 'the git host', (git) => gitState(git, project)),
    ask(app.backends.ci, 'the CI server', (ci) => ciState(ci, project)),
    ask(app.backends.dns, 'DNS', async (dns) => ({
      records: (
        await Promise.all(
          [project.domain, ...project.customDomains]
            .filter((d): d is string => Boolean(d))
            .map((name) => dns.listRecords({ name })),
        )
      )
        .flat()
        .map((r) => ({
          name: r.name,
          type: r.type,
          content: r.content,
          proxied: r.proxied,
          ours: r.owner === app.config.THREESIX_OWNER_ID,
        })),
    })),
    ask(app.backends.deployer, 'the cluster', async (deployer) => {
      const s = await deployer.status(name);
      return {
        exists: s.exists,
        image: s.image,
        desiredReplicas: s.desiredReplicas,
        readyReplicas: s.readyReplicas,
        availableReplicas: s.availableReplicas,
        hosts: s.hosts,
        pods: s.pods.map((p) => ({
          name: p.name,
          phase: p.phase,
          ready: p.ready,
          restarts: p.restarts,
          reason: p.reason,
        })),
        volumes: (await deployer.listVolumes(name)).map((v) => ({ path: v.path, size: v.size, phase: v.phase })),
      };
    }),
    // The CloudNativePG Cluster, asked apart from the workload so one failing does not hide the other.
    ask(app.backends.deployer, 'the database', async (deployer) => {
      const view = toDatabaseView(await deployer.databaseStatus(name));
      return view ? { exists: true, ...view } : { exists: false };
    }),
    unfinishedOperation(app, name),
    usageSummary(app, project),
  ]);
  return { ...toProjectView(project), live: { git, ci, dns, deployment, database }, operation, usage };
}

async function askBackend<T extends BackendProbe>(
  app: AppContext,
  slot: BackendSlot<T>,
  what: string,
  ms: number,
  read: (port: T) => Promise<Record<string, unknown>>,
): Promise<BackendState> {
  if (slot.info.mode === 'none') return { status: 'not_configured' };
  try {
    return { status: 'ok', data: await withTimeout(slot.get().then(read), ms, what) };
  } catch (error) {
    if (!isDomainError(error) || error.code === 'INTERNAL')
      app.logger.error('status read failed', { backend: slot.info.name, err: error });
    return {
      status: 'error',
      error:
        isDomainError(error) && error.code !== 'INTERNAL'
          ? error.toText()
          : `INTERNAL: ${what} could not be read (see the server log).`,
    };
  }
}

async function gitState(git: GitHost, project: Project): Promise<Record<string, unknown>> {
  const repo = await git.getRepo(project.gitRepoName ?? project.name).catch((error) => {
    if (isDomainError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  });
  if (!repo) return { exists: false };
  const head = repo.empty
    ? null
    : ((await git.getBranchHead(repo.name, repo.defaultBranch).catch(() => undefined))?.sha ?? null);
  return {
    exists: true,
    managed: repo.managed,
    archived: repo.archived,
    empty: repo.empty,
    defaultBranch: repo.defaultBranch,
    head,
    webUrl: repo.webUrl,
  };
}

async function ciState(ci: CiServer, project: Project): Promise<Record<string, unknown>> {
  if (project.ciRepoId === null) return { active: false };
  try {
    const [pipeline] = await ci.listPipelines(project.ciRepoId, { perPage: 1 });
    if (!pipeline) return { active: true, lastPipeline: null };
    // The failed step is read from the pipeline itself (the list does not carry steps); build_logs shows its log.
    const failedStep = FAILING_STATES.has(pipeline.status)
      ? ((await ci.getPipeline(project.ciRepoId, pipeline.number)).steps.find((s) => FAILING_STATES.has(s.state))
          ?.name ?? null)
      : null;
    const { number, status, event, commit, startedAt, finishedAt, webUrl } = pipeline;
    return { active: true, lastPipeline: { number, status, event, commit, startedAt, finishedAt, failedStep, webUrl } };
  } catch (error) {
    if (isDomainError(error) && error.code === 'NOT_FOUND') return { active: false };
    throw error;
  }
}

async function unfinishedOperation(app: AppContext, name: string): Promise<ProjectStatus['operation']> {
  const ops = await Promise.all(
    ['create_project', 'delete_project'].map((kind) => app.store.operations.findUnfinished(kind, name)),
  );
  const op = ops.filter((o) => o !== undefined).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  return op ? { id: op.id, kind: op.kind, status: op.status, error: op.error } : null;
}
