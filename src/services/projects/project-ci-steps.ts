/**
 * @module services/projects/project-ci-steps
 * The CI server's part of creating a project: activation by the git host's repository id (an
 * already active repository is adopted) and the per-project deploy token as a CI secret. Only the
 * token's hash is stored; the token itself exists in the CI secret and nowhere else.
 * (Written against the port until the CI issue's activation service lands; the lead reconciles.)
 */
import { createHash, randomBytes } from 'node:crypto';
import type { StepContext, StepDefinition } from '../operations/operation-definition.js';
import { DEPLOY_TOKEN_SECRET, type CreateProjectInput } from './create-project.input.js';

type Ctx = StepContext<CreateProjectInput>;
const ciConfigured = (ctx: Ctx) => (ctx.app.backends.ci.info.mode === 'none' ? 'the CI backend is not configured' : null);

export const hashDeployToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const ciStep: StepDefinition<CreateProjectInput> = {
  name: 'ci',
  after: ['repo'],
  skip: ciConfigured,
  async run(ctx) {
    const repo = ctx.outputs.repo as { repoId: number; fullName: string };
    const ci = await ctx.app.backends.ci.get();
    const activated = await ci.activate(repo.repoId, repo.fullName);
    await ctx.app.store.projects.update(ctx.input.name, { ciRepoId: activated.id });
    return { ciRepoId: activated.id, ciUrl: activated.webUrl };
  },
};

export const ciSecretStep: StepDefinition<CreateProjectInput> = {
  name: 'ci-secret',
  after: ['ci'],
  skip: ciConfigured,
  async run(ctx) {
    const { ciRepoId } = ctx.outputs.ci as { ciRepoId: number };
    const ci = await ctx.app.backends.ci.get();
    // A resumed run mints a fresh token and overwrites the secret: the stored hash follows it.
    const token = randomBytes(32).toString('base64url');
    await ci.upsertSecret(ciRepoId, { name: DEPLOY_TOKEN_SECRET, value: token, events: ['push', 'manual'] });
    await ctx.app.store.projects.update(ctx.input.name, { deployTokenHash: hashDeployToken(token) });
    return { secret: DEPLOY_TOKEN_SECRET };
  },
};
