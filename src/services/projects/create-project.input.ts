/**
 * @module services/projects/create-project.input
 * @public other capabilities import this module (see test/unit/architecture.test.ts).
 * What a create operation journals as its input, and the names its steps share.
 */
export const CREATE_PROJECT = 'create_project';

export interface CreateProjectInput extends Record<string, unknown> {
  name: string;
  description: string;
  private: boolean;
}

/**
 * Whether a project row is a creation still under way (or failed), which create_project resumes;
 * any other state is a project that exists. The create service, its dry run and the start-up
 * resume all decide by this one rule.
 */
export const isBeingCreated = (project: { state: string }) =>
  project.state === 'provisioning' || project.state === 'failed';

/** Title of every deploy key threesix adds (keys are per repository); delete removes only titles with this prefix. */
export const DEPLOY_KEY_PREFIX = 'threesix:';
export const deployKeyTitle = (purpose: string) => `${DEPLOY_KEY_PREFIX}${purpose}`;
