/**
 * `--sandbox` wiring for deployments: boot starts the registry and Kubernetes stand-ins, points the
 * real adapters at them, and an image pushed to the sandbox registry deploys and serves.
 */
import { describe, expect, it } from 'vitest';
import { boot } from '../../src/main/boot.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { deployRelease } from '../../src/services/deploy/deploy-release.service.js';
import { seedProject } from '../support/seed-project.js';
import { exchangeLogEnv } from '../support/exchange-log.js';
import { tempDir } from '../support/test-app.js';

describe('--sandbox deployments', () => {
  it('deploys an image pushed to the sandbox registry onto the sandbox cluster', async () => {
    const booted = await boot({
      sandbox: true,
      env: {
        ...exchangeLogEnv(),
        THREESIX_DATA_DIR: tempDir(),
        THREESIX_LOG_LEVEL: 'error',
        THREESIX_DEPLOY_WAIT_S: '15',
      },
    });
    try {
      expect(booted.sandbox?.simulated).toEqual(expect.arrayContaining(['registry', 'deployer']));
      expect(booted.app.backends.deployer.info).toMatchObject({ mode: 'sandbox', provider: 'kubernetes' });
      const registryUrl = booted.config.REGISTRY_URL!;
      const digest = await pushImage(registryUrl, 'threesix/hello', 'v1');
      const host = registryUrl.replace(/^https?:\/\//, '');
      await seedProject(booted.app, 'hello');
      const r = await deployRelease(booted.app, {
        project: 'hello',
        image: `${host}/threesix/hello:v1`,
        actor: 'test',
      });
      expect(r).toMatchObject({ status: 'succeeded', pinned: `${host}/threesix/hello@${digest}` });
      expect(await (await booted.app.backends.deployer.get()).diagnose!()).toEqual(
        expect.arrayContaining([expect.objectContaining({ check: 'rbac deployments', ok: true })]),
      );
    } finally {
      await booted.shutdown();
    }
  }, 30_000);
});
