/**
 * @module services/projects/starter-files
 * What a new project's repository starts with: the CI issue's pipeline and Dockerfile (rendered
 * from configuration) plus a README saying how to ship. Rendering is pure and checks its
 * configuration, so create_project also calls it before reserving anything. Without a CI backend
 * only the README is written.
 */
import type { RepoFile } from '../../ports/git-host.port.js';
import type { AppContext } from '../app-context.js';
import { starterFiles } from '../starter-files.service.js';
import { projectFqdn } from './project-dns.js';

export function projectStarterFiles(app: Pick<AppContext, 'config' | 'backends'>, project: { name: string; description: string }): RepoFile[] {
  const intro = `# ${project.name}\n\n${project.description ? `${project.description}\n\n` : ''}`;
  // Without CI there is nothing to run a pipeline, and no webhook for it to call: seed the README only.
  if (app.backends.ci.info.mode === 'none') {
    return [{ path: 'README.md', content: `${intro}CI is not configured on this threesix server, so pushes are not built or deployed yet.\n` }];
  }
  const readme =
    intro +
    `Push to \`main\`: CI builds the image from the Dockerfile and threesix deploys it to https://${projectFqdn(app.config, project.name)}.\n` +
    'Keep `.woodpecker.yaml`; change the Dockerfile to build your app (it must listen on port 8080 unless you deploy with another port).\n';
  return [...starterFiles(app, project.name), { path: 'README.md', content: readme }];
}
