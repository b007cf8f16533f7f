/**
 * @module services/projects/delete-project.operation
 * The delete saga: workload, DNS and CI go first (side by side; the database and volumes after the workload), then our
 * hooks and keys, then the repository (deleted, or archived per THREESIX_DELETE_REPOS), and the rows last, so the row
 * that names what to clean up outlives every cleanup step.
 */
import { defineOperation } from '../operations/operation-definition.js';
import {
  ciStep,
  deploymentStep,
  dnsStep,
  gitAccessStep,
  repoStep,
  rowsStep,
  type DeleteProjectInput,
} from './delete-project.steps.js';
import { databaseStep } from '../databases/delete-database.step.js';
import { volumesStep } from '../volumes/delete-volumes.step.js';

export const DELETE_PROJECT = 'delete_project';

export interface DeleteProjectResult extends Record<string, unknown> {
  project: string;
  removed: string[];
  archived: string[];
  warnings: string[];
}

export const deleteProjectOperation = defineOperation<DeleteProjectInput, DeleteProjectResult>({
  kind: DELETE_PROJECT,
  steps: [deploymentStep, databaseStep, volumesStep, dnsStep, ciStep, gitAccessStep, repoStep, rowsStep],
  finish(ctx) {
    const collect = (key: string) =>
      Object.values(ctx.outputs).flatMap((o) => (Array.isArray(o[key]) ? (o[key] as string[]) : []));
    const skipped = Object.entries(ctx.outputs)
      .filter(([, o]) => typeof o.skipped === 'string')
      .map(([step, o]) => `step ${step} skipped: ${String(o.skipped)}`);
    ctx.app.events.projectChanged(ctx.input.name);
    ctx.app.events.projectListChanged();
    return {
      project: ctx.input.name,
      removed: collect('removed'),
      archived: collect('archived'),
      warnings: [...collect('warnings'), ...skipped],
    };
  },
});
