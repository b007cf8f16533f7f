/**
 * @module adapters/sqlite/sqlite-project-settings
 * ProjectSettingsStore on the `project_settings` table: the settings as one JSON document, read
 * back over the defaults so a field added later reads as its default from older rows.
 */
import type { Kysely } from 'kysely';
import { EMPTY_SETTINGS, type ProjectSettings } from '../../domain/project-settings.js';
import type { ProjectSettingsStore } from '../../ports/project-settings.port.js';
import { nowIso } from './json.js';
import type { Database } from './schema.js';

export class SqliteProjectSettings implements ProjectSettingsStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(project: string): Promise<ProjectSettings | undefined> {
    const row = await this.db
      .selectFrom('project_settings')
      .select('settings')
      .where('project', '=', project)
      .executeTakeFirst();
    return row
      ? { ...structuredClone(EMPTY_SETTINGS), ...(JSON.parse(row.settings) as Partial<ProjectSettings>) }
      : undefined;
  }

  async put(project: string, settings: ProjectSettings): Promise<void> {
    const values = { project, settings: JSON.stringify(settings), updated_at: nowIso() };
    await this.db
      .insertInto('project_settings')
      .values(values)
      .onConflict((oc) =>
        oc.column('project').doUpdateSet({ settings: values.settings, updated_at: values.updated_at }),
      )
      .execute();
  }

  async delete(project: string): Promise<void> {
    await this.db.deleteFrom('project_settings').where('project', '=', project).execute();
  }
}
