/**
 * @module services/projects/create-project.input
 * What a create operation journals as its input, and the names its steps share.
 */
export interface CreateProjectInput extends Record<string, unknown> {
  name: string;
  description: string;
  private: boolean;
}

/** The CI secret the pipeline's deploy step authenticates with. */
export const DEPLOY_TOKEN_SECRET = 'threesix_deploy_token';

/** Title prefix of every deploy key threesix adds, so delete finds ours and nobody else's. */
export const deployKeyTitle = (project: string, purpose: string) => `threesix:${project}:${purpose}`;
