/**
 * @module services/databases/create-database
 * create_database: applies the project's CloudNativePG Cluster (idempotent: a second call with the
 * same settings changes nothing, a larger size grows the volume), waits for the operator to report
 * it healthy within THREESIX_DEPLOY_WAIT_S, and then rolls out a new release of what runs, so the
 * app starts with DATABASE_URL and PG* from the operator's Secret. A call that finds the database
 * still starting says so; calling again finishes the wiring.
 */
import { validateProjectName } from '../../domain/project-name.js';
import type { Release } from '../../domain/project.js';
import type { DatabaseSpec, DatabaseStatus } from '../../ports/database.port.js';
import type { AppContext } from '../shared/app-context.js';
import { requireDeployableProject } from '../deploy/project-workload.js';
import { DATABASE_CREATED } from '../reconcile/database-drift.js';
import { rollOutAgain, runningRelease, type AttachedRelease } from './attach-release.js';
import {
  backupSettings,
  defaultDatabaseSize,
  validateDatabaseSize,
  validatePostgresVersion,
} from './database-settings.js';
import { toDatabaseView, type DatabaseView } from './database-view.js';

export interface CreateDatabaseInput {
  project: string;
  size?: string;
  version?: number;
  dryRun?: boolean;
}

export interface CreateDatabaseResult {
  project: string;
  status: 'ready' | 'starting' | 'dry_run';
  database: DatabaseView | null;
  /** The release that rolled the app out with the database, when one was needed. */
  release: AttachedRelease | null;
  dryRun: boolean;
  nextStep: string | null;
}

const POLL_MS = 1000;

/** Sends a step name while the call runs (MCP progress when the client asked for it). */
type Progress = (progress: number, total?: number, message?: string) => Promise<void>;

export async function createDatabase(
  app: AppContext,
  input: CreateDatabaseInput,
  hooks: { progress?: Progress } = {},
): Promise<CreateDatabaseResult> {
  const project = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  const version = input.version === undefined ? null : validatePostgresVersion(input.version);
  await requireDeployableProject(app, project);
  const deployer = await app.backends.deployer.get();
  const backup = backupSettings(app.config);
  const max = app.config.THREESIX_MAX_DB_STORAGE;
  const current = await deployer.databaseStatus(project);
  const size = validateDatabaseSize(input.size ?? current.size ?? defaultDatabaseSize(max), max, current.size);
  const spec: DatabaseSpec = { project, size, version: version ?? versionOf(current), instances: 1, backup };
  if (input.dryRun) {
    return {
      project,
      status: 'dry_run',
      database: toDatabaseView(current),
      release: null,
      dryRun: true,
      nextStep: `Call create_database again without dryRun to apply a ${size} database`,
    };
  }
  const budgetMs = app.config.THREESIX_DEPLOY_WAIT_S * 1000;
  return app.locks.run(project, 'create_database', budgetMs, async (waitedMs) => {
    const deadline = Date.now() + Math.max(1000, budgetMs - waitedMs);
    await requireDeployableProject(app, project);
    let step = 0;
    const progress = (message: string) => hooks.progress?.(++step, undefined, `${project}: ${message}`);
    await deployer.applyDatabase(spec);
    await progress('database cluster applied');
    // The audit trail is how reconcile knows the project should have a database (database-drift.ts).
    await app.store.audit.record({
      actor: 'threesix',
      action: DATABASE_CREATED,
      target: project,
      result: 'ok',
      detail: { size, version: spec.version, backups: backup !== null },
    });
    app.logger.info('database: cluster applied', { project, size, version: spec.version });
    let status = await deployer.databaseStatus(project);
    while (!status.ready && Date.now() < deadline) {
      await progress(`database ${status.phase ?? 'starting'}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      status = await deployer.databaseStatus(project);
    }
    if (status.ready) await progress('database ready');
    app.events.projectChanged(project);
    if (!status.ready) {
      return {
        project,
        status: 'starting',
        database: toDatabaseView(status),
        release: null,
        dryRun: false,
        nextStep: `The database is still starting (${status.phase ?? 'no status yet'}). Call create_database with project "${project}" again in a minute: it waits again and then rolls the app out with DATABASE_URL`,
      };
    }
    const running = await runningRelease(app, project);
    if (running && readsNoDatabase(running, status)) await progress('rolling the app out with DATABASE_URL');
    const release =
      running && readsNoDatabase(running, status)
        ? await rollOutAgain(app, deployer, running, ATTACHED, Math.max(1000, deadline - Date.now()))
        : null;
    return {
      project,
      status: 'ready',
      database: toDatabaseView(status),
      release,
      dryRun: false,
      nextStep:
        running === null
          ? 'The next deploy (or git push) runs the app with DATABASE_URL and PG* from the database Secret'
          : release && release.status !== 'succeeded'
            ? `Release #${release.id} is ${release.status}; call deploy_status with project "${project}" to follow it`
            : null,
    };
  });
}

const ATTACHED = 'database attached';

/**
 * Whether the running release was applied before the Cluster existed (so its pods lack the
 * database env). Kubernetes timestamps have whole seconds: within the Cluster's second only the
 * release this service made is known to read it; another one is rolled again, which is harmless.
 */
function readsNoDatabase(running: Release, status: DatabaseStatus): boolean {
  if (status.createdAt === null) return false;
  const release = Math.floor(Date.parse(running.createdAt) / 1000);
  const cluster = Math.floor(Date.parse(status.createdAt) / 1000);
  return release < cluster || (release === cluster && running.reason !== ATTACHED);
}

/** Keeps the running major when none is asked for, so a re-apply never changes the image. */
function versionOf(status: DatabaseStatus): number | null {
  const m = /:(\d+)/.exec(status.image ?? '');
  return status.exists && m ? Number(m[1]) : null;
}
