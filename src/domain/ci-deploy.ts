/**
 * @module domain/ci-deploy
 * The facts CI and threesix agree on: where a project's image lives, which commit ids are
 * acceptable, the secret names the pipeline reads, and the webhook's path.
 */

/** The deploy webhook's path on threesix's HTTP server. */
export const WEBHOOK_PATH = '/webhooks/woodpecker';

/** Woodpecker secret holding the project's deploy token (the notify step reads it). */
export const DEPLOY_TOKEN_SECRET = 'threesix_deploy_token';
export const REGISTRY_USERNAME_SECRET = 'threesix_registry_username';
export const REGISTRY_PASSWORD_SECRET = 'threesix_registry_password';

/** A full 40-hex git commit id (SHA-1 object format, what Gitea and Woodpecker send). */
export const COMMIT_SHA = /^[0-9a-f]{40}$/;

/** Repository path of a project's image in the registry: `<org>/<project>`, lowercase. */
export function imageRepository(org: string, project: string): string {
  return `${org}/${project}`.toLowerCase();
}

/** The image CI builds for a commit: `<registry host>/<org>/<project>:<sha>`. */
export function ciImage(registryHost: string, org: string, project: string, sha: string): string {
  return `${registryHost}/${imageRepository(org, project)}:${sha}`;
}
