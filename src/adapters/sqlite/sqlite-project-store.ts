import type { Kysely, Selectable } from 'kysely';
import { conflict, notFound } from '../../domain/errors.js';
import type { Project } from '../../domain/project.js';
import type { NewProject, Page, ProjectPatch, ProjectStore } from '../../ports/state-store.port.js';
import { compileOnce } from './compile-once.js';
import { forgetProjectHosts, recordProjectHosts } from './sqlite-project-hosts.js';
import { nowIso, parseJson } from './json.js';
import type { Database, ProjectsTable } from './schema.js';

const toProject = (row: Selectable<ProjectsTable>): Project => ({
  name: row.name,
  description: row.description,
  state: row.state as Project['state'],
  gitRepoName: row.git_repo_name,
  gitRepoId: row.git_repo_id,
  gitCloneSsh: row.git_clone_ssh,
  gitCloneHttp: row.git_clone_http,
  gitWebUrl: row.git_web_url,
  domain: row.domain,
  customDomains: parseJson<string[]>(row.custom_domains, []),
  deploymentImage: row.deployment_image,
  deploymentDigest: row.deployment_digest,
  deploymentStatus: row.deployment_status as Project['deploymentStatus'],
  deploymentReplicas: row.deployment_replicas,
  deployedSha: row.deployed_sha,
  ciRepoId: row.ci_repo_id,
  dnsRecordIds: parseJson<string[]>(row.dns_record_ids, []),
  deployTokenHash: row.deploy_token_hash,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

function toColumns(patch: ProjectPatch): Partial<ProjectsTable> {
  const columns: Partial<ProjectsTable> = {};
  const map: Record<string, keyof ProjectsTable> = {
    description: 'description',
    state: 'state',
    gitRepoName: 'git_repo_name',
    gitRepoId: 'git_repo_id',
    gitCloneSsh: 'git_clone_ssh',
    gitCloneHttp: 'git_clone_http',
    gitWebUrl: 'git_web_url',
    domain: 'domain',
    deploymentImage: 'deployment_image',
    deploymentDigest: 'deployment_digest',
    deploymentStatus: 'deployment_status',
    deploymentReplicas: 'deployment_replicas',
    deployedSha: 'deployed_sha',
    ciRepoId: 'ci_repo_id',
    deployTokenHash: 'deploy_token_hash',
  };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (key === 'customDomains') columns.custom_domains = JSON.stringify(value);
    else if (key === 'dnsRecordIds') columns.dns_record_ids = JSON.stringify(value);
    else if (map[key]) (columns as Record<string, unknown>)[map[key]] = value;
  }
  return columns;
}

// Once per webhook delivery: compiled once (see compile-once.ts).
const BY_TOKEN_HASH = compileOnce<'hash'>((db, slot) =>
  db.selectFrom('projects').selectAll().where('deploy_token_hash', '=', slot('hash')),
);

/**
 * Inserts a project row (on `db` or inside a transaction); CONFLICT when the name is taken. The
 * operation journal calls it too, to reserve a name and journal its create in one transaction.
 */
export async function insertProjectRow(db: Kysely<Database>, project: NewProject): Promise<void> {
  const now = nowIso();
  const { name, description, ...rest } = project;
  try {
    await db
      .insertInto('projects')
      .values({
        name,
        description,
        state: 'provisioning',
        custom_domains: '[]',
        dns_record_ids: '[]',
        deployment_status: 'none',
        deployment_replicas: 1,
        created_at: now,
        updated_at: now,
        ...toColumns(rest),
      })
      .execute();
  } catch (error) {
    // SQLite's SQLITE_CONSTRAINT_PRIMARYKEY, PostgreSQL's unique_violation (23505).
    const code = String((error as { code?: string }).code);
    if (code.startsWith('SQLITE_CONSTRAINT') || code === '23505') {
      throw conflict(`project "${name}" already exists`, 'Use get_project to see it, or choose another name');
    }
    throw error;
  }
  if (rest.customDomains?.length) await recordProjectHosts(db, name, rest.customDomains);
}

export class SqliteProjectStore implements ProjectStore {
  constructor(private readonly db: Kysely<Database>) {}

  async create(project: NewProject): Promise<Project> {
    if (project.customDomains?.length) await this.db.transaction().execute((trx) => insertProjectRow(trx, project));
    else await insertProjectRow(this.db, project);
    return this.require(project.name);
  }

  async get(name: string): Promise<Project | undefined> {
    const row = await this.db.selectFrom('projects').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? toProject(row) : undefined;
  }

  async require(name: string): Promise<Project> {
    const project = await this.get(name);
    if (!project)
      throw notFound(
        `project "${name}" does not exist`,
        'Call list_projects to see the projects, or create_project to make it',
      );
    return project;
  }

  async update(name: string, patch: ProjectPatch): Promise<Project> {
    const write = async (db: Kysely<Database>) => {
      const result = await db
        .updateTable('projects')
        .set({ ...toColumns(patch), updated_at: nowIso() })
        .where('name', '=', name)
        .executeTakeFirst();
      // The list and the rows that keep each host to one project change together, or not at all.
      if (result.numUpdatedRows > 0n && patch.customDomains) await recordProjectHosts(db, name, patch.customDomains);
      return result.numUpdatedRows;
    };
    const updated = patch.customDomains ? await this.db.transaction().execute(write) : await write(this.db);
    if (updated === 0n) await this.require(name);
    return this.require(name);
  }

  async delete(name: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('projects').where('name', '=', name).execute();
      await forgetProjectHosts(trx, name);
    });
  }

  async list({ cursor, limit }: { cursor?: string; limit: number }): Promise<Page<Project>> {
    let query = this.db
      .selectFrom('projects')
      .selectAll()
      .orderBy('name')
      .limit(limit + 1);
    if (cursor) query = query.where('name', '>', cursor);
    const rows = await query.execute();
    const items = rows.slice(0, limit).map(toProject);
    return rows.length > limit ? { items, nextCursor: items[items.length - 1]!.name } : { items };
  }

  async all(): Promise<Project[]> {
    return (await this.db.selectFrom('projects').selectAll().orderBy('name').execute()).map(toProject);
  }

  async inState(state: Project['state']): Promise<Project[]> {
    const rows = await this.db.selectFrom('projects').selectAll().where('state', '=', state).orderBy('name').execute();
    return rows.map(toProject);
  }

  async findByDomain(domain: string): Promise<Project | undefined> {
    const direct = await this.db.selectFrom('projects').selectAll().where('domain', '=', domain).executeTakeFirst();
    if (direct) return toProject(direct);
    const pattern = `%${JSON.stringify(domain)}%`;
    const rows = await this.db.selectFrom('projects').selectAll().where('custom_domains', 'like', pattern).execute();
    return rows.map(toProject).find((p) => p.customDomains.includes(domain));
  }

  async findByDeployTokenHash(hash: string): Promise<Project | undefined> {
    const { rows } = await this.db.executeQuery<Selectable<ProjectsTable>>(BY_TOKEN_HASH(this.db, { hash }));
    return rows[0] ? toProject(rows[0]) : undefined;
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('projects')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
