import type { Kysely, Selectable } from 'kysely';
import { notFound } from '../../domain/errors.js';
import type { Operation, OperationStep, StepStatus } from '../../domain/project.js';
import type { NewProject, OperationJournal } from '../../ports/state-store.port.js';
import { nowIso, parseJson } from './json.js';
import type { Database, OperationStepsTable } from './schema.js';
import { insertProjectRow } from './sqlite-project-store.js';

const toStep = (row: Selectable<OperationStepsTable>): OperationStep => ({
  name: row.name,
  status: row.status as StepStatus,
  output: parseJson<Record<string, unknown> | null>(row.output, null),
  error: row.error,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
});

export class SqliteOperationJournal implements OperationJournal {
  constructor(private readonly db: Kysely<Database>) {}

  async start(
    op: { id: string; kind: string; target: string; input: Record<string, unknown>; steps: string[] },
    options: { reserve?: NewProject } = {},
  ): Promise<Operation> {
    const now = nowIso();
    await this.db.transaction().execute(async (trx) => {
      if (options.reserve) await insertProjectRow(trx, options.reserve);
      await trx
        .insertInto('operations')
        .values({
          id: op.id,
          kind: op.kind,
          target: op.target,
          status: 'running',
          input: JSON.stringify(op.input),
          result: null,
          error: null,
          created_at: now,
          updated_at: now,
          lease_owner: null,
          lease_expires_at: null,
        })
        .execute();
      if (op.steps.length > 0) {
        await trx
          .insertInto('operation_steps')
          .values(
            op.steps.map((name, position) => ({
              operation_id: op.id,
              position,
              name,
              status: 'pending',
              output: null,
              error: null,
              started_at: null,
              finished_at: null,
            })),
          )
          .execute();
      }
    });
    return (await this.get(op.id))!;
  }

  async get(id: string): Promise<Operation | undefined> {
    const row = await this.db.selectFrom('operations').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const steps = await this.db
      .selectFrom('operation_steps')
      .selectAll()
      .where('operation_id', '=', id)
      .orderBy('position')
      .execute();
    return {
      id: row.id,
      kind: row.kind,
      target: row.target,
      status: row.status as Operation['status'],
      input: parseJson<Record<string, unknown>>(row.input, {}),
      result: parseJson<Record<string, unknown> | null>(row.result, null),
      error: row.error,
      steps: steps.map(toStep),
      lease:
        row.lease_owner && row.lease_expires_at ? { owner: row.lease_owner, expiresAt: row.lease_expires_at } : null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  async findUnfinished(kind: string, target: string): Promise<Operation | undefined> {
    const row = await this.db
      .selectFrom('operations')
      .select('id')
      .where('kind', '=', kind)
      .where('target', '=', target)
      .where('status', '!=', 'succeeded')
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? this.get(row.id) : undefined;
  }

  async listByStatus(status: Operation['status']): Promise<Operation[]> {
    const rows = await this.db
      .selectFrom('operations')
      .select('id')
      .where('status', '=', status)
      .orderBy('created_at')
      .execute();
    const ops = await Promise.all(rows.map((r) => this.get(r.id)));
    return ops.filter((op): op is Operation => op !== undefined);
  }

  async markStep(
    id: string,
    step: string,
    status: StepStatus,
    fields: { output?: Record<string, unknown> | null; error?: string | null } = {},
  ): Promise<OperationStep> {
    const now = nowIso();
    const set: Partial<OperationStepsTable> = { status };
    if (status === 'running') set.started_at = now;
    if (status === 'done' || status === 'failed' || status === 'skipped') set.finished_at = now;
    if (fields.output !== undefined) set.output = fields.output === null ? null : JSON.stringify(fields.output);
    if (fields.error !== undefined) set.error = fields.error;
    const row = await this.db
      .updateTable('operation_steps')
      .set(set)
      .where('operation_id', '=', id)
      .where('name', '=', step)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw notFound(`operation ${id} has no step ${step}`);
    await this.db.updateTable('operations').set({ updated_at: now }).where('id', '=', id).execute();
    return toStep(row);
  }

  async recordIntent(id: string, step: string, intent: Record<string, unknown> | null): Promise<void> {
    const result = await this.db
      .updateTable('operation_steps')
      .set({ intent: intent === null ? null : JSON.stringify(intent) })
      .where('operation_id', '=', id)
      .where('name', '=', step)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw notFound(`operation ${id} has no step ${step}`);
  }

  async intentOf(id: string, step: string): Promise<Record<string, unknown> | null> {
    const row = await this.db
      .selectFrom('operation_steps')
      .select('intent')
      .where('operation_id', '=', id)
      .where('name', '=', step)
      .executeTakeFirst();
    return parseJson<Record<string, unknown> | null>(row?.intent ?? null, null);
  }

  async finish(
    id: string,
    status: Operation['status'],
    fields: { result?: Record<string, unknown> | null; error?: string | null } = {},
  ): Promise<Operation> {
    await this.db
      .updateTable('operations')
      .set({
        status,
        updated_at: nowIso(),
        ...(fields.result !== undefined
          ? { result: fields.result === null ? null : JSON.stringify(fields.result) }
          : {}),
        ...(fields.error !== undefined ? { error: fields.error } : {}),
      })
      .where('id', '=', id)
      .execute();
    const op = await this.get(id);
    if (!op) throw notFound(`operation ${id} does not exist`);
    return op;
  }

  async reopen(id: string): Promise<Operation> {
    return this.finish(id, 'running', { error: null });
  }

  async claim(id: string, owner: string, ttlMs: number, options: { force?: boolean } = {}): Promise<boolean> {
    const now = new Date();
    const expires = new Date(now.getTime() + ttlMs).toISOString();
    // One UPDATE decides, so two processes claiming at once cannot both win.
    let query = this.db
      .updateTable('operations')
      .set({ lease_owner: owner, lease_expires_at: expires })
      .where('id', '=', id);
    if (!options.force) {
      query = query.where((eb) =>
        eb.or([
          eb('lease_owner', 'is', null),
          eb('lease_owner', '=', owner),
          eb('lease_expires_at', '<', now.toISOString()),
        ]),
      );
    }
    const result = await query.executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async release(id: string, owner: string): Promise<void> {
    await this.db
      .updateTable('operations')
      .set({ lease_owner: null, lease_expires_at: null })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .execute();
  }
}
