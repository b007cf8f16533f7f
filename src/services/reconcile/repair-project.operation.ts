/**
 * @module services/reconcile/repair-project.operation
 * Repairs a ready project through the create saga's own idempotent steps (each adopts what still
 * exists and re-creates what is gone), plus the in-zone records of its custom domains. Journaled
 * like any operation, so an interrupted repair resumes.
 */
import { isInZone } from '../../domain/fqdn.js';
import { defineOperation } from '../operations/operation-definition.js';
import type { CreateProjectInput } from '../projects/create-project.input.js';
import { createProjectOperation } from '../projects/create-project.operation.js';
import { ensureDomainCname } from '../projects/project-dns.js';

export const REPAIR_PROJECT = 'repair_project';

export const repairProjectOperation = defineOperation<CreateProjectInput, { project: string; repaired: string[] }>({
  kind: REPAIR_PROJECT,
  steps: [
    ...createProjectOperation.steps,
    {
      name: 'custom-domains',
      after: ['dns'],
      skip: (ctx) => (ctx.app.backends.dns.info.mode === 'none' ? 'the DNS backend is not configured' : null),
      async run(ctx) {
        const { app, input } = ctx;
        const dns = await app.backends.dns.get();
        const project = await app.store.projects.require(input.name);
        const names = project.customDomains.filter((d) => isInZone(d, dns.zone));
        for (const name of names) await ensureDomainCname(app, dns, name, input.name);
        return { domains: names };
      },
    },
  ],
  async stale(app, operation) {
    return (await app.store.projects.get(operation.target))?.state === 'ready'
      ? null
      : `project "${operation.target}" is not ready`;
  },
  finish(ctx) {
    ctx.app.events.projectChanged(ctx.input.name);
    return { project: ctx.input.name, repaired: Object.keys(ctx.outputs) };
  },
});
