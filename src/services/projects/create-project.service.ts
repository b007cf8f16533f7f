/**
 * @module services/projects/create-project
 * create_project: validate, check nothing foreign holds the name, reserve it (the unique project
 * row), then run the journaled create saga. Calling it again for a project whose creation failed
 * resumes that operation instead of starting over.
 */
import { hasControlCharacters } from '../../domain/control-characters.js';
import { conflict, invalidInput, isDomainError } from '../../domain/errors.js';
import type { Project } from '../../domain/project.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { Operation } from '../../domain/project.js';
import type { AppContext } from '../shared/app-context.js';
import { operationFailure } from '../operations/operation-failure.js';
import { executeOperation, startOperation } from '../operations/run-operation.js';
import { UNBOUNDED_WAIT } from '../shared/project-locks.js';
import type { ProgressFn } from '../deploy/watch-rollout.js';
import { planOperation, type PlannedStep } from '../operations/plan-operation.js';
import { CREATE_PROJECT, createProjectOperation, type CreateProjectResult } from './create-project.operation.js';
import { isBeingCreated, type CreateProjectInput } from './create-project.input.js';
import { withHostLocks } from '../domains/host-locks.js';
import { preflightCreate } from './create-project.preflight.js';
import { projectFqdn } from './project-dns.js';

export interface CreateProjectRequest {
  name: string;
  description?: string;
  private?: boolean;
  dryRun?: boolean;
}

export type CreateProjectOutcome =
  | ({ dryRun: false; operationId: string; resumed: boolean } & CreateProjectResult)
  | { dryRun: true; project: string; url: string; plan: PlannedStep[] };

/** `progress` hears each step's name as it starts (create_project sends them as MCP progress). */
export async function createProject(
  app: AppContext,
  request: CreateProjectRequest,
  hooks: { progress?: ProgressFn } = {},
): Promise<CreateProjectOutcome> {
  const name = validateProjectName(request.name, app.config.THREESIX_RESERVED_NAMES);
  const description = validateDescription(request.description ?? '');
  const input: CreateProjectInput = { name, description, private: request.private ?? false };
  if (request.dryRun) return { dryRun: true, ...(await planCreate(app, input)) };

  return app.locks.run(name, 'create_project', UNBOUNDED_WAIT, async () => {
    const { operation, resumed } = await reserveOrResume(app, input);
    const run = await executeOperation(app, createProjectOperation, operation, {
      onStep: (step, started, total) => hooks.progress?.(started, total, step),
    });
    if (run.failure) throw operationFailure(run, `creating project "${name}"`);
    return { dryRun: false, operationId: run.operation.id, resumed, ...(run.operation.result as CreateProjectResult) };
  });
}

/** The dry run: the saga's own steps say what they would do, after the same checks a real create makes. */
async function planCreate(
  app: AppContext,
  input: CreateProjectInput,
): Promise<{ project: string; url: string; plan: PlannedStep[] }> {
  const existing = existingBeingCreated(input.name, await app.store.projects.get(input.name));
  const reserve = existing
    ? `resume the unfinished creation of "${input.name}"`
    : `reserve the name "${input.name}" in the database`;
  const steps = await planOperation(app, createProjectOperation, input.name, input);
  return {
    project: input.name,
    url: `https://${projectFqdn(app.config, input.name)}`,
    plan: [{ step: 'reserve', action: reserve }, ...steps.map(({ step, action }) => ({ step, action }))],
  };
}

/** The row of a creation under way, undefined for a free name; CONFLICT when the project exists. */
function existingBeingCreated(name: string, existing: Project | undefined): Project | undefined {
  if (existing && !isBeingCreated(existing))
    throw conflict(
      `project "${name}" already exists (${existing.state})`,
      'Use get_project to see it, or choose another name',
    );
  return existing;
}

async function reserveOrResume(
  app: AppContext,
  input: CreateProjectInput,
): Promise<{ operation: Operation; resumed: boolean }> {
  const existing = existingBeingCreated(input.name, await app.store.projects.get(input.name));
  if (existing) {
    const unfinished = await app.store.operations.findUnfinished(CREATE_PROJECT, input.name);
    if (unfinished)
      return {
        operation: unfinished.status === 'failed' ? await app.store.operations.reopen(unfinished.id) : unfinished,
        resumed: true,
      };
    // A row without its operation, left by a version that reserved and journaled separately. Start afresh; every step
    // adopts.
    const original = { name: existing.name, description: existing.description, private: input.private };
    return { operation: await startOperation(app, createProjectOperation, input.name, original), resumed: true };
  }
  // The host's lock (after the project's, which the caller holds) from the claim check through the
  // reservation: an add_domain of another project for this address waits, then sees the row.
  const operation = await withHostLocks(app, [projectFqdn(app.config, input.name)], 'create_project', async () => {
    await preflightCreate(app, input);
    try {
      // The row (the name's reservation) and its operation are written in one transaction: a
      // process killed right after reserving would otherwise leave a row no start-up resume knows of.
      return await startOperation(app, createProjectOperation, input.name, input, {
        reserve: { name: input.name, description: input.description, state: 'provisioning' },
      });
    } catch (error) {
      // Another process reserved the name between our check and insert: the unique row decided.
      if (isDomainError(error) && error.code === 'CONFLICT')
        throw conflict(`project "${input.name}" already exists`, 'Use get_project to see it, or choose another name');
      throw error;
    }
  });
  app.events.projectListChanged();
  return { operation, resumed: false };
}

function validateDescription(description: string): string {
  if (description.length > 255) throw invalidInput('description is longer than 255 characters', 'Shorten it');
  if (hasControlCharacters(description))
    throw invalidInput('description contains control characters', 'Use a single line of plain text');
  return description.trim();
}
