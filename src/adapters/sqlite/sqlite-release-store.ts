import type { Kysely, Selectable } from 'kysely';
import { notFound } from '../../domain/errors.js';
import type { Release, ReleaseStatus } from '../../domain/project.js';
import type { NewRelease, ReleaseStore } from '../../ports/state-store.port.js';
import { compileOnce } from './compile-once.js';
import { nowIso } from './json.js';
import type { Database, ReleasesTable } from './schema.js';

const toRelease = (row: Selectable<ReleasesTable>): Release => ({
  id: row.id,
  project: row.project,
  image: row.image,
  digest: row.digest,
  commitSha: row.commit_sha,
  envHash: row.env_hash,
  port: row.port,
  replicas: row.replicas,
  status: row.status as ReleaseStatus,
  reason: row.reason,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

// Once per webhook delivery: compiled once (see compile-once.ts).
const COMMIT_RELEASED = compileOnce<'project' | 'sha'>((db, slot) =>
  db
    .selectFrom('releases')
    .select('id')
    .where('project', '=', slot('project'))
    .where('commit_sha', '=', slot('sha'))
    .limit(1),
);

export class SqliteReleaseStore implements ReleaseStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(release: NewRelease): Promise<Release> {
    const now = nowIso();
    const row = await this.db
      .insertInto('releases')
      .values({
        project: release.project,
        image: release.image,
        digest: release.digest,
        commit_sha: release.commitSha,
        env_hash: release.envHash,
        port: release.port,
        replicas: release.replicas,
        status: release.status,
        reason: release.reason ?? null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRelease(row);
  }

  async get(id: number): Promise<Release | undefined> {
    const row = await this.db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRelease(row) : undefined;
  }

  async setStatus(id: number, status: ReleaseStatus, reason?: string | null): Promise<Release> {
    return this.update(id, { status, ...(reason === undefined ? {} : { reason }) });
  }

  async update(
    id: number,
    patch: Partial<Pick<Release, 'digest' | 'status' | 'reason' | 'replicas'>>,
  ): Promise<Release> {
    const row = await this.db
      .updateTable('releases')
      .set({ ...patch, updated_at: nowIso() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(`release ${id} does not exist`, 'Call list_releases to see the releases');
    return toRelease(row);
  }

  async list(project: string, limit = 50): Promise<Release[]> {
    const rows = await this.db
      .selectFrom('releases')
      .selectAll()
      .where('project', '=', project)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toRelease);
  }

  async hasCommit(project: string, commitSha: string): Promise<boolean> {
    const { rows } = await this.db.executeQuery(COMMIT_RELEASED(this.db, { project, sha: commitSha }));
    return rows.length > 0;
  }

  async inProgress(): Promise<Release[]> {
    // The partial index idx_releases_in_progress holds just these rows.
    const rows = await this.db
      .selectFrom('releases')
      .selectAll()
      .where('status', '=', 'in_progress')
      .orderBy('id')
      .execute();
    return rows.map(toRelease);
  }

  async transition(
    id: number,
    from: ReleaseStatus,
    to: ReleaseStatus,
    reason?: string | null,
  ): Promise<Release | undefined> {
    const row = await this.db
      .updateTable('releases')
      .set({ status: to, ...(reason === undefined ? {} : { reason }), updated_at: nowIso() })
      .where('id', '=', id)
      .where('status', '=', from)
      .returningAll()
      .executeTakeFirst();
    return row ? toRelease(row) : undefined;
  }

  async latest(project: string, status?: ReleaseStatus): Promise<Release | undefined> {
    let query = this.db.selectFrom('releases').selectAll().where('project', '=', project);
    if (status) query = query.where('status', '=', status);
    const row = await query.orderBy('id', 'desc').limit(1).executeTakeFirst();
    return row ? toRelease(row) : undefined;
  }
}
