/**
 * @module services/projects/starter-files
 * What a new repository starts with: a Woodpecker pipeline that builds the image with kaniko and
 * tells threesix to deploy it, a Dockerfile for a tiny static site, and a README. A placeholder
 * until the CI issue's template renderer lands (the lead swaps this for it).
 */
import type { RepoFile } from '../../ports/git-host.port.js';

export interface StarterContext {
  name: string;
  description: string;
  registryHost: string;
  /** Where the pipeline's last step posts; null when THREESIX_PUBLIC_URL is unset. */
  deployHookUrl: string | null;
  liveUrl: string;
  secretName: string;
}

export function starterFiles(ctx: StarterContext): RepoFile[] {
  const notify = ctx.deployHookUrl
    ? `
  - name: notify-deploy
    image: curlimages/curl
    environment:
      DEPLOY_TOKEN: { from_secret: ${ctx.secretName} }
    commands:
      - >
        curl -fsS --retry 5 --retry-all-errors -X POST
        -H "Authorization: Bearer $\${DEPLOY_TOKEN}" -H "Content-Type: application/json"
        -H "Idempotency-Key: $\${CI_REPO_REMOTE_ID}-$\${CI_COMMIT_SHA}"
        -d "{\\"repo\\":\\"$\${CI_REPO}\\",\\"sha\\":\\"$\${CI_COMMIT_SHA}\\",\\"branch\\":\\"$\${CI_COMMIT_BRANCH}\\",\\"pipeline\\":$\${CI_PIPELINE_NUMBER}}"
        ${ctx.deployHookUrl}
`
    : '';
  const pipeline = `when:
  - event: push
    evaluate: 'CI_COMMIT_BRANCH == CI_REPO_DEFAULT_BRANCH'

steps:
  - name: build-and-push
    image: woodpeckerci/plugin-kaniko
    settings:
      registry: ${ctx.registryHost}
      repo: \${CI_REPO_OWNER}/\${CI_REPO_NAME}
      tags: \${CI_COMMIT_SHA}
      cache: true
${notify}`;
  const dockerfile = `FROM nginx:alpine\nCOPY . /usr/share/nginx/html\nEXPOSE 80\n`;
  const readme = `# ${ctx.name}\n\n${ctx.description}\n\nPush to \`main\`: CI builds the image and threesix deploys it to ${ctx.liveUrl}.\n`;
  return [
    { path: '.woodpecker.yaml', content: pipeline },
    { path: 'Dockerfile', content: dockerfile },
    { path: 'README.md', content: readme },
  ];
}
