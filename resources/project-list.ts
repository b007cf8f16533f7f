/**
 * Listing and completion shared by the per-project resource templates.
 */
import type { ResourceDefinition } from '../src/mcp/define-resource.js';

export function projectListing(
  suffix: string,
  describe: (name: string) => string,
): Pick<ResourceDefinition, 'list' | 'complete'> {
  return {
    list: async (app) =>
      (await app.store.projects.list({ limit: 100 })).items.map((p) => ({
        uri: `threesix://projects/${p.name}${suffix}`,
        name: `${p.name}${suffix}`,
        description: describe(p.name),
      })),
    complete: {
      name: async (app, prefix) =>
        (await app.store.projects.list({ limit: 200 })).items
          .map((p) => p.name)
          .filter((n) => n.startsWith(prefix))
          .slice(0, 50),
    },
  };
}
