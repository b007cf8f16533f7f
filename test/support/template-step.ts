/**
 * One step of the pipeline template, ready to run for real: a CI fixture with its deploy queue, the
 * webhook routes on a real socket where THREESIX_PUBLIC_URL points, and the step's command as the
 * shell sees it (after Woodpecker's config-time `$$` → `$`). The template escapes every `${VAR}`,
 * so nothing is left for Woodpecker to substitute when it reads the file.
 */
import { serve } from '@hono/node-server';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { woodpeckerWebhookRoutes } from '../../src/http/woodpecker-webhook-routes.js';
import { freePort } from '../../src/main/webhook-listener.js';
import { startDeployQueue, type DeployQueue } from '../../src/services/deploy/deploy-queue.service.js';
import { starterFiles } from '../../src/services/projects/starter-files.js';
import { createCiFixture, fixtureDeploy, type CiFixture } from './ci-fixture.js';

export interface TemplateStep {
  fx: CiFixture;
  queue: DeployQueue;
  /** The step as the template declares it (name, image, when, commands, ...). */
  step: { name: string; when?: unknown; commands: string[] };
  /** Its command after Woodpecker's `$$` unescaping. */
  command: string;
  close(): Promise<void>;
}

export async function startTemplateStep(name: string): Promise<TemplateStep> {
  const port = await freePort('127.0.0.1');
  const fx = await createCiFixture({ env: { THREESIX_PUBLIC_URL: `http://127.0.0.1:${port}` } });
  const queue = await startDeployQueue(fx.app, fixtureDeploy);
  const routes = woodpeckerWebhookRoutes(fx.app, { onQueued: (p) => queue.kick(p) });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: routes.fetch, hostname: '127.0.0.1', port }, () => resolve(s));
  });
  const pipeline = parse(starterFiles(fx.app, 'shop').find((f) => f.path === '.woodpecker.yaml')!.content) as {
    steps: Array<TemplateStep['step']>;
  };
  const step = pipeline.steps.find((s) => s.name === name);
  if (!step) throw new Error(`the pipeline template has no step ${name}`);
  expect(step.commands[0]).not.toMatch(/(^|[^$])\$\{/);
  return {
    fx,
    queue,
    step,
    command: step.commands[0]!.replace(/\$\$/g, '$'),
    async close() {
      await queue.stop();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
