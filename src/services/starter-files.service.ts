/**
 * @module services/starter-files
 * The files a new project's repository is seeded with (pipeline and Dockerfile), rendered from
 * configuration. create_project commits them as the first change, which starts the first build.
 */
import { BACKEND_VARIABLES } from '../config.js';
import { WEBHOOK_PATH } from '../domain/ci-deploy.js';
import { notConfigured, preconditionFailed } from '../domain/errors.js';
import { registryHost } from '../domain/image-ref.js';
import { renderStarterFiles, type StarterFile } from '../domain/starter-files.js';
import type { AppContext } from './app-context.js';

/** Where CI reaches threesix's deploy webhook; PRECONDITION_FAILED without THREESIX_PUBLIC_URL. */
export function deployWebhookUrl(config: AppContext['config']): string {
  if (!config.THREESIX_PUBLIC_URL) {
    throw preconditionFailed('THREESIX_PUBLIC_URL is not set, so CI cannot reach the deploy webhook', 'Set THREESIX_PUBLIC_URL to the URL CI uses to reach this server');
  }
  return `${config.THREESIX_PUBLIC_URL.replace(/\/+$/, '')}${WEBHOOK_PATH}`;
}

export function starterFiles(app: Pick<AppContext, 'config'>, project: string): StarterFile[] {
  const { config } = app;
  if (!config.REGISTRY_URL) throw notConfigured('registry', BACKEND_VARIABLES.registry);
  return renderStarterFiles({
    project,
    org: config.GITEA_DEFAULT_ORG,
    registry: registryHost(config.REGISTRY_URL),
    registryInsecure: /^http:\/\//i.test(config.REGISTRY_URL),
    registryAuth: Boolean(config.REGISTRY_USERNAME && config.REGISTRY_PASSWORD),
    webhookUrl: deployWebhookUrl(config),
  });
}
