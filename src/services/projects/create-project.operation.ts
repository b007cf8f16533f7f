/**
 * @module services/projects/create-project.operation
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * The create saga. The project row (the name's reservation) exists before it starts; the steps
 * below fill in the external ids. DNS needs nothing else, so it runs beside the git and CI steps.
 */
import type { StepContext } from '../operations/operation-definition.js';
import { defineOperation } from '../operations/operation-definition.js';
import { CREATE_PROJECT, isBeingCreated, type CreateProjectInput } from './create-project.input.js';
import { preflightCreate, type CreatePreflight } from './create-project.preflight.js';
import { ciStep } from './project-ci-steps.js';
import { ensureProjectDns } from '../dns/ensure-project-dns.service.js';
import { projectFqdn } from './project-dns.js';
import { collaboratorsStep, deployKeyStep, repoStep, starterFilesStep } from './project-git-steps.js';
import { SANDBOX_GIT_PASSWORD } from '../../config.js';
import { clearUnjournaledReservations } from './clear-unjournaled-reservations.js';

export interface CreateProjectResult extends Record<string, unknown> {
  project: string;
  cloneSsh: string | null;
  cloneHttp: string | null;
  webUrl: string | null;
  url: string;
  ciUrl: string | null;
  nextStep: string;
}

export { CREATE_PROJECT };

export const createProjectOperation = defineOperation<CreateProjectInput, CreateProjectResult>({
  kind: CREATE_PROJECT,
  startupSweep: clearUnjournaledReservations,
  steps: [
    {
      name: 'dns',
      skip: (ctx) => (ctx.app.backends.dns.info.mode === 'none' ? 'the DNS backend is not configured' : null),
      plan(ctx) {
        const { dns } = ctx.preflight as CreatePreflight;
        return dns ? `${dns.action} DNS record ${dns.record}` : [];
      },
      async run(ctx) {
        const { app, input } = ctx;
        const { fqdn, records } = await ensureProjectDns(app, input.name);
        await app.store.projects.update(input.name, { domain: fqdn, dnsRecordIds: records.map((r) => r.id) });
        return {
          fqdn,
          recordIds: records.map((r) => r.id),
          type: records[0]?.type ?? null,
          content: records[0]?.content ?? null,
        };
      },
    },
    repoStep,
    collaboratorsStep,
    deployKeyStep,
    ciStep,
    starterFilesStep,
  ],
  preflight: preflightCreate,
  async stale(app, operation) {
    const project = await app.store.projects.get(operation.target);
    if (project && isBeingCreated(project)) return null;
    // finish() marks the row ready just before the journal records success: a crash between the two leaves exactly
    // this.
    const finished =
      project?.state === 'ready' && operation.steps.every((s) => s.status === 'done' || s.status === 'skipped');
    return finished ? null : `project "${operation.target}" is no longer being created`;
  },
  async finish(ctx) {
    const { app, input } = ctx;
    await app.store.projects.update(input.name, { state: 'ready', domain: projectFqdn(app.config, input.name) });
    app.events.projectChanged(input.name);
    app.events.projectListChanged();
    return createResult(ctx);
  },
  async onFailed(ctx) {
    await ctx.app.store.projects.update(ctx.input.name, { state: 'failed' });
    ctx.app.events.projectChanged(ctx.input.name);
  },
});

function createResult(ctx: StepContext<CreateProjectInput>): CreateProjectResult {
  const repo = ctx.outputs.repo as { cloneSsh?: string; cloneHttp?: string; webUrl?: string } | undefined;
  const ci = ctx.outputs.ci as { ciUrl?: string } | undefined;
  return {
    project: ctx.input.name,
    cloneSsh: repo?.cloneSsh ?? null,
    cloneHttp: repo?.cloneHttp ?? null,
    webUrl: repo?.webUrl ?? null,
    url: `https://${projectFqdn(ctx.app.config, ctx.input.name)}`,
    ciUrl: ci?.ciUrl ?? null,
    nextStep: `${pushHint(ctx.app, repo?.cloneHttp)}Commit your app (keep the Dockerfile and .woodpecker.yaml) and push to main: CI builds it and threesix deploys it. The starter commit is already building and deploys as a placeholder page.`,
  };
}

/**
 * How to clone, said where an agent looks first. In the sandbox that means the stand-in's
 * published credentials (any username, password "sandbox": they guard nothing real), so the agent
 * need not find threesix://server before its first push.
 */
function pushHint(app: StepContext<CreateProjectInput>['app'], cloneHttp: string | undefined): string {
  if (!cloneHttp) return 'Clone the repository. ';
  if (app.backends.git.info.mode !== 'sandbox')
    return `Clone ${cloneHttp} (or the SSH URL) with your git credentials. `;
  const url = new URL(cloneHttp);
  url.username = 'agent';
  url.password = SANDBOX_GIT_PASSWORD;
  return `Sandbox git: any username with the password "${SANDBOX_GIT_PASSWORD}", e.g. git clone ${url.href}. `;
}
