import type { Kysely } from 'kysely';
import type { InstallSecretStore } from '../../ports/state-store.port.js';
import { nowIso } from './json.js';
import type { Database } from './schema.js';

export class SqliteInstallSecrets implements InstallSecretStore {
  constructor(private readonly db: Kysely<Database>) {}

  async getOrCreate(name: string, make: () => string): Promise<string> {
    const existing = await this.db
      .selectFrom('install_secrets')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirst();
    if (existing) return existing.value;
    // Insert-or-ignore then read back: of two racing first uses, the row that landed wins for both.
    await this.db
      .insertInto('install_secrets')
      .values({ name, value: make(), created_at: nowIso() })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const row = await this.db
      .selectFrom('install_secrets')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    return row.value;
  }
}
