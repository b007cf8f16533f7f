import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { DOCKERFILE_TEMPLATE, PIPELINE_TEMPLATE } from '../../src/domain/starter-templates.js';
import { renderStarterFiles } from '../../src/domain/starter-files.js';
import { starterFiles } from '../../src/services/projects/starter-files.js';

const ROOT = resolve(import.meta.dirname, '../..');

/** The fields of the starter pipeline these tests read: its trigger and its three steps. */
interface Step {
  name: string;
  image: string;
  settings: Record<string, unknown>;
  environment?: unknown;
  commands: string[];
  when?: unknown;
}
const pipelineOf = (content: string) => parse(content) as { when: unknown; steps: [Step, Step, Step] };
const base = {
  project: 'my-app',
  org: 'threesix',
  registry: 'registry.example.test:5000',
  registryInsecure: false,
  registryAuth: false,
  webhookUrl: 'https://mcp.example.test/webhooks/woodpecker',
};

describe('starter files', () => {
  it('embeds exactly the templates in deployments/woodpecker (run scripts/embed-starter-templates.mjs after editing them)', () => {
    expect(PIPELINE_TEMPLATE).toBe(readFileSync(resolve(ROOT, 'deployments/woodpecker/.woodpecker.yaml'), 'utf8'));
    expect(DOCKERFILE_TEMPLATE).toBe(readFileSync(resolve(ROOT, 'deployments/woodpecker/Dockerfile'), 'utf8'));
  });

  it('renders a pipeline that builds <registry>/<org>/<project>:<sha> with pinned images and notifies threesix', () => {
    const [pipeline, dockerfile] = renderStarterFiles(base);
    expect(pipeline!.path).toBe('.woodpecker.yaml');
    expect(pipeline!.content).not.toMatch(/\{\{/);
    const doc = pipelineOf(pipeline!.content);
    // manual: the rebuild tool's run (POST /api/repos/{id}/pipelines) must not be dropped by `when`.
    expect(doc.when).toEqual([{ event: ['push', 'manual'], evaluate: 'CI_COMMIT_BRANCH == CI_REPO_DEFAULT_BRANCH' }]);
    const [build, notify, report] = doc.steps;
    expect(build.image).toMatch(/^woodpeckerci\/plugin-kaniko:\d+\.\d+\.\d+$/);
    expect(build.settings).toMatchObject({
      registry: 'registry.example.test:5000',
      repo: 'threesix/my-app',
      tags: '${CI_COMMIT_SHA}',
      insecure: false,
    });
    expect(build.settings.username).toBeUndefined();
    expect(notify.image).toMatch(/^curlimages\/curl:\d+\.\d+\.\d+$/);
    expect(notify.environment).toEqual({ DEPLOY_TOKEN: { from_secret: 'threesix_deploy_token' } });
    expect(notify.commands[0]).toContain('https://mcp.example.test/webhooks/woodpecker');
    // Secrets are expanded by the shell at run time, never by Woodpecker at parse time.
    expect(notify.commands[0]).toContain('Bearer $${DEPLOY_TOKEN}');
    expect(notify.commands[0]).not.toMatch(/[^$]\$\{DEPLOY_TOKEN\}/);
    // After a failed step only: same token, same webhook, status failure.
    expect(report).toMatchObject({
      name: 'report-failure',
      environment: { DEPLOY_TOKEN: { from_secret: 'threesix_deploy_token' } },
      when: [{ status: ['failure'] }],
    });
    expect(report.commands[0]).toContain('https://mcp.example.test/webhooks/woodpecker');
    expect(report.commands[0]).toContain('\\"status\\":\\"failure\\"');
    expect(notify.when).toBeUndefined();
    expect(dockerfile!.content).toMatch(/^FROM docker\.io\/library\/busybox:\d/m);
  });

  it('adds registry credentials from secrets only when the registry needs them', () => {
    const doc = pipelineOf(renderStarterFiles({ ...base, registryAuth: true, registryInsecure: true })[0]!.content);
    expect(doc.steps[0].settings).toMatchObject({
      insecure: true,
      username: { from_secret: 'threesix_registry_username' },
      password: { from_secret: 'threesix_registry_password' },
    });
  });

  it.each([
    ['a webhook URL that would break out of the shell word', { webhookUrl: 'https://x.test/"; rm -rf /' }],
    ['a registry with a scheme', { registry: 'https://registry.example.test' }],
    ['a bad project name', { project: 'My App' }],
  ])('refuses %s', (_, patch) => {
    expect(() => renderStarterFiles({ ...base, ...patch })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('takes registry, org and webhook base from configuration, and needs THREESIX_PUBLIC_URL', () => {
    const config = loadConfig({
      REGISTRY_URL: 'http://127.0.0.1:5000',
      GITEA_DEFAULT_ORG: 'acme',
      THREESIX_PUBLIC_URL: 'http://127.0.0.1:3636',
    });
    const doc = pipelineOf(starterFiles({ config }, 'web')[0]!.content);
    expect(doc.steps[0].settings).toMatchObject({ registry: '127.0.0.1:5000', repo: 'acme/web', insecure: true });
    expect(doc.steps[1].commands[0]).toContain('http://127.0.0.1:3636/webhooks/woodpecker');
    expect(() => starterFiles({ config: loadConfig({ REGISTRY_URL: 'r.example.test' }) }, 'web')).toThrow(
      expect.objectContaining({ code: 'PRECONDITION_FAILED' }),
    );
  });
});
