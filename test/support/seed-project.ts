/**
 * A ready project row, as create_project leaves it, for tests of what comes after (deploy never
 * creates projects). Goes through the real store, not around it.
 */
import type { AppContext } from '../../src/services/shared/app-context.js';

export async function seedProject(app: AppContext, name: string, customDomains: string[] = []): Promise<void> {
  await app.store.projects.create({
    name,
    description: '',
    state: 'ready',
    domain: `${name}.${app.config.DEFAULT_DOMAIN}`,
  });
  if (customDomains.length > 0) await app.store.projects.update(name, { customDomains });
}
