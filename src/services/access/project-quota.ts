/**
 * @module services/access/project-quota
 * --max-projects: a token may own at most that many projects. The count is checked before the call
 * (authorize-call.ts, a fast refusal before any approval prompt) and again, decisively, under a lock
 * keyed by the token, held from that count through the creation and the row that records the
 * owner. Two create_project calls of one capped token at once thus run one after the other, and the
 * second counts the first's project. The lock is the per-project lock under the key
 * `token:<name>` (no project name has a colon): in-process, and replica-wide on PostgreSQL. It is
 * taken before the tool runs, so before create_project's project and host locks, and nothing that
 * holds those takes it.
 * Tokens are checked only over HTTP (`serve`), one process per SQLite file, so no case is left
 * where two processes count at once without that lock.
 */
import { permissionDenied } from '../../domain/errors.js';
import type { AppContext } from '../shared/app-context.js';
import { UNBOUNDED_WAIT } from '../shared/project-locks.js';
import type { AccessIdentity } from './identity.js';

/** The tool that makes projects, counted against --max-projects and owned by its caller. */
export const CREATES_PROJECT = 'create_project';

/** PERMISSION_DENIED when the identity already owns as many projects as it may. */
export async function assertUnderProjectLimit(app: AppContext, identity: AccessIdentity): Promise<void> {
  if (identity.maxProjects === null) return;
  const owned = await app.store.access.countOwnedProjects(identity.name);
  if (owned >= identity.maxProjects) {
    throw permissionDenied(
      `token "${identity.name}" owns ${owned} projects, its limit is ${identity.maxProjects}`,
      'Delete a project first, or ask the operator for a higher --max-projects',
    );
  }
}

/**
 * Runs `call` (the tool's handler); for create_project by a capped identity, under the token's lock,
 * counting again first and recording `project`'s owner before letting go.
 */
export async function withinProjectLimit<T>(
  app: AppContext,
  identity: AccessIdentity | undefined,
  tool: string,
  project: string | undefined,
  call: () => Promise<T>,
): Promise<T> {
  if (!identity || tool !== CREATES_PROJECT || identity.maxProjects === null || project === undefined) return call();
  // Unbounded: the second call waits for the first creation, as create_project waits for its name.
  return app.locks.run(`token:${identity.name}`, tool, UNBOUNDED_WAIT, async () => {
    await assertUnderProjectLimit(app, identity);
    const result = await call();
    // As recordOwner after any create: a failed write is logged, not turned into a failed call.
    await app.store.access
      .claimProject(project, identity.name)
      .catch((error) => app.logger.error('recording the project owner failed', { project, err: error }));
    return result;
  });
}
