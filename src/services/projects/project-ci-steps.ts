/**
 * @module services/projects/project-ci-steps
 * The CI server's part of creating a project, through the CI activation service: activation by the
 * git host's repository id (an already active repository is adopted), the registry secrets and a
 * fresh per-project deploy token (only its hash is stored). Calling it again on resume rotates the
 * token, which keeps the stored hash and the CI secret in step.
 */
import { activateCi } from '../ci/ci-activation.service.js';
import type { StepDefinition } from '../operations/operation-definition.js';
import type { CreateProjectInput } from './create-project.input.js';

export const ciStep: StepDefinition<CreateProjectInput> = {
  name: 'ci',
  after: ['repo'],
  skip: (ctx) => (ctx.app.backends.ci.info.mode === 'none' ? 'the CI backend is not configured' : null),
  plan: () =>
    'activate the repository in CI and write a fresh per-project deploy token (and registry credentials) as CI secrets',
  async run(ctx) {
    const activation = await activateCi(ctx.app, ctx.input.name);
    return { ciRepoId: activation.ciRepoId, ciUrl: activation.ciWebUrl, secrets: activation.secrets };
  },
};
