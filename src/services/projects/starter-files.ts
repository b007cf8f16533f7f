/**
 * @module services/projects/starter-files
 * What a new project's repository starts with: the CI pipeline and Dockerfile (rendered by
 * domain/starter-files.ts from configuration) plus a README saying how to ship. create_project
 * commits them as the first change, which starts the first build. Rendering is pure and checks its
 * configuration, so create_project also calls it before reserving anything. Without a CI backend
 * only the README is written.
 */
import { BACKEND_VARIABLES } from '../../config.js';
import { WEBHOOK_PATH } from '../../domain/ci-deploy.js';
import { notConfigured, preconditionFailed } from '../../domain/errors.js';
import { registryHost } from '../../domain/image-ref.js';
import { renderStarterFiles, type StarterFile } from '../../domain/starter-files.js';
import type { RepoFile } from '../../ports/git-host.port.js';
import type { AppContext } from '../shared/app-context.js';
import { projectFqdn } from './project-dns.js';

export function projectStarterFiles(
  app: Pick<AppContext, 'config' | 'backends'>,
  project: { name: string; description: string },
): RepoFile[] {
  const intro = `# ${project.name}\n\n${project.description ? `${project.description}\n\n` : ''}`;
  // Without CI there is nothing to run a pipeline, and no webhook for it to call: seed the README only.
  if (app.backends.ci.info.mode === 'none') {
    return [
      {
        path: 'README.md',
        content: `${intro}CI is not configured on this threesix server, so pushes are not built or deployed yet.\n`,
      },
    ];
  }
  const readme =
    intro +
    `Push to \`main\`: CI builds the image from the Dockerfile and threesix deploys it to https://${projectFqdn(app.config, project.name)}.\n` +
    'Keep `.woodpecker.yaml`; change the Dockerfile to build your app (it must listen on port 8080 unless you deploy with another port).\n';
  return [...starterFiles(app, project.name), { path: 'README.md', content: readme }];
}

/** The pipeline and Dockerfile for `project`; NOT_CONFIGURED without REGISTRY_URL. */
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

/** Where CI reaches threesix's deploy webhook; PRECONDITION_FAILED without THREESIX_PUBLIC_URL. */
function deployWebhookUrl(config: AppContext['config']): string {
  if (!config.THREESIX_PUBLIC_URL) {
    throw preconditionFailed(
      'THREESIX_PUBLIC_URL is not set, so CI cannot reach the deploy webhook',
      'Set THREESIX_PUBLIC_URL to the URL CI uses to reach this server',
    );
  }
  return `${config.THREESIX_PUBLIC_URL.replace(/\/+$/, '')}${WEBHOOK_PATH}`;
}
