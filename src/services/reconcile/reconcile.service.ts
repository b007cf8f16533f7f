/**
 * @module services/reconcile/reconcile
 * reconcile: compare the database with every backend (list calls, one sweep each) and report the
 * drift. With repair, each drifted project is re-driven through the idempotent create steps, and
 * orphaned DNS records, workloads and CI activations of vanished repositories are removed; orphaned
 * and unmarked repositories are only reported, because removing code is never automatic (an
 * unmarked one is adopted by resuming its create, or removed by delete_project).
 */
import { isDomainError, requireConfirm } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { AppContext } from '../shared/app-context.js';
import { executeOperation, startOperation } from '../operations/run-operation.js';
import { UNBOUNDED_WAIT } from '../shared/project-locks.js';
import type { Project } from '../../domain/project.js';
import { openRepoIntent, type OpenRepoIntent } from '../projects/repo-create-intent.js';
import { findDrift, type Drift } from './find-drift.js';
import { observeBackends } from './observed-state.js';
import { projectsWithDatabase } from './database-drift.js';
import { repairProjectOperation } from './repair-project.operation.js';

export interface ReconcileOutcome {
  checked: number;
  backends: Record<string, string>;
  drift: Array<Drift & { repaired: boolean; repairError?: string }>;
  operations: string[];
}

export async function reconcile(
  app: AppContext,
  options: { project?: string; repair?: boolean; confirm?: string },
): Promise<ReconcileOutcome> {
  const only =
    options.project === undefined
      ? undefined
      : validateProjectName(options.project, app.config.THREESIX_RESERVED_NAMES);
  if (options.repair) requireConfirm(only ?? 'all', options.confirm ?? '');
  const projects = only ? [await app.store.projects.require(only)] : await app.store.projects.all();
  const seen = await observeBackends(app);
  const intents = await openIntents(app, projects);
  const databases = await projectsWithDatabase(app);
  const drift = findDrift(app.config, projects, seen, { orphans: only === undefined, intents, databases }).map(
    (d): ReconcileOutcome['drift'][number] => ({ ...d, repaired: false }),
  );
  const operations: string[] = [];
  if (options.repair) {
    const repairable = (d: Drift) => d.kind === 'missing' || d.kind === 'pointing_elsewhere';
    // Workloads come back with the next deploy and databases are never re-made empty: repair is for git, CI and DNS.
    const byRepair = (d: Drift) =>
      d.kind !== 'orphan' && repairable(d) && d.backend !== 'deployer' && d.backend !== 'database';
    const targets = [...new Set(drift.filter(byRepair).map((d) => d.project))];
    await Promise.all(
      targets.map(async (name) => {
        const outcome = await repairProject(app, name);
        operations.push(outcome.operationId);
        for (const d of drift.filter((d) => d.project === name && byRepair(d))) {
          d.repaired = !outcome.error;
          if (outcome.error) d.repairError = outcome.error;
        }
      }),
    );
    for (const d of drift.filter(
      (d) => d.kind === 'orphan' && (d.backend === 'dns' || d.backend === 'deployer' || (d.backend === 'ci' && d.ref)),
    )) {
      await removeOrphan(app, d, seen).then(
        () => void (d.repaired = true),
        (error) => void (d.repairError = errorText(error)),
      );
    }
  }
  if (drift.some((d) => d.repaired)) app.events.projectListChanged();
  return { checked: projects.length, backends: seen.backends, drift, operations };
}

/** Journal reads only for projects whose create never recorded a repository (a handful, not every project). */
async function openIntents(app: AppContext, projects: readonly Project[]): Promise<Map<string, OpenRepoIntent>> {
  const unfinished = projects.filter((p) => p.state !== 'ready' && p.gitRepoId === null);
  const found = await Promise.all(unfinished.map(async (p) => [p.name, await openRepoIntent(app, p.name)] as const));
  return new Map(found.filter((entry): entry is readonly [string, OpenRepoIntent] => entry[1] !== undefined));
}

async function repairProject(app: AppContext, name: string): Promise<{ operationId: string; error?: string }> {
  return app.locks.run(name, 'the repair', UNBOUNDED_WAIT, async () => {
    const project = await app.store.projects.require(name);
    const op = await startOperation(app, repairProjectOperation, name, {
      name,
      description: project.description,
      private: false,
    });
    const run = await executeOperation(app, repairProjectOperation, op);
    return { operationId: op.id, ...(run.failure ? { error: run.operation.error ?? 'repair failed' } : {}) };
  });
}

async function removeOrphan(
  app: AppContext,
  drift: Drift,
  seen: Awaited<ReturnType<typeof observeBackends>>,
): Promise<void> {
  if (drift.backend === 'deployer') {
    await (await app.backends.deployer.get()).remove(drift.project);
    return;
  }
  if (drift.backend === 'ci') {
    await (await app.backends.ci.get()).deactivate(Number(drift.ref));
    return;
  }
  const dns = await app.backends.dns.get();
  const records = seen.dns!.records.filter((r) => r.id === drift.ref && r.owner === app.config.THREESIX_OWNER_ID);
  if (records.length > 0)
    await dns.applyChanges({ create: [], update: [], delete: records }, app.config.THREESIX_OWNER_ID);
}

const errorText = (error: unknown) =>
  isDomainError(error) && error.code !== 'INTERNAL' ? error.toText() : 'INTERNAL: repair failed (see the server log)';
