import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/adapters/log/json-logger.js';
import { loadConfig } from '../../src/config.js';
import type { StandIn } from '../../src/sandbox/stand-in.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { tempDir } from '../support/test-app.js';

/** A stand-in that only records its lifecycle; the real ones are tested with their backends. */
function recordingStandIn(backend: StandIn['backend'], events: string[]): StandIn {
  return {
    backend,
    title: backend,
    start(ctx) {
      events.push(`start ${backend} after ${[...ctx.started.keys()].join(',') || 'none'}`);
      return Promise.resolve({
        env: { [`${backend.toUpperCase()}_SANDBOX_URL`]: `http://127.0.0.1/${backend}` },
        endpoint: `http://127.0.0.1/${backend}`,
        stop: () => Promise.resolve(void events.push(`stop ${backend}`)),
      });
    },
  };
}

describe('sandbox switch', () => {
  it('starts stand-ins only for unconfigured backends, in order, and stops them in reverse', async () => {
    const events: string[] = [];
    const lines: string[] = [];
    const config = loadConfig({ THREESIX_DATA_DIR: tempDir(), GITEA_URL: 'https://git.example.com', GITEA_TOKEN: 't' });
    const sandbox = await startSandbox(
      config,
      [recordingStandIn('registry', events), recordingStandIn('git', events), recordingStandIn('deployer', events)],
      createJsonLogger({ write: (line) => void lines.push(line) }),
    );
    expect(sandbox.simulated).toEqual(['registry', 'deployer']);
    expect(sandbox.env).toEqual({
      REGISTRY_SANDBOX_URL: 'http://127.0.0.1/registry',
      DEPLOYER_SANDBOX_URL: 'http://127.0.0.1/deployer',
    });
    expect(events).toEqual(['start registry after none', 'start deployer after registry']);
    const banner = JSON.parse(lines.find((l) => l.includes('sandbox'))!) as unknown;
    expect(banner).toMatchObject({
      level: 'warn',
      simulated: ['registry (http://127.0.0.1/registry)', 'deployer (http://127.0.0.1/deployer)'],
    });
    await sandbox.stop();
    expect(events.slice(2)).toEqual(['stop deployer', 'stop registry']);
  });

  it('stops what it started when a later stand-in fails', async () => {
    const events: string[] = [];
    const failing: StandIn = {
      backend: 'dns',
      title: 'dns',
      start: async () => Promise.reject(new Error('port in use')),
    };
    const config = loadConfig({ THREESIX_DATA_DIR: tempDir() });
    await expect(
      startSandbox(config, [recordingStandIn('git', events), failing], createJsonLogger({ write: () => undefined })),
    ).rejects.toThrow('port in use');
    expect(events).toEqual(['start git after none', 'stop git']);
  });
});
