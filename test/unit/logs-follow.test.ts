/**
 * The logs service's follow mode on the in-memory cluster: input checks that change nothing, the
 * time bound, cancellation by the caller's signal, and the text delivered before the result.
 */
import { describe, expect, it } from 'vitest';
import { MemoryDeployer } from '../../src/adapters/memory/memory-deployer.js';
import { projectLogs } from '../../src/services/deploy/logs.service.js';
import { seedProject } from '../support/seed-project.js';
import { createTestApp } from '../support/test-app.js';
import { like } from '../support/matchers.js';

async function setup() {
  const deployer = new MemoryDeployer();
  const app = await createTestApp({
    factories: { deployer: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(deployer) }) },
  });
  await seedProject(app, 'web');
  await deployer.apply({
    project: 'web',
    image: 'r.test/x@sha256:' + 'b'.repeat(64),
    port: 80,
    replicas: 1,
    env: {},
    secrets: { KEY: 'hidden-value-1' },
    hosts: [],
  });
  return app;
}

describe('logs with follow', () => {
  it('refuses bad follow input with INVALID_INPUT', async () => {
    const app = await setup();
    for (const [input, message] of [
      [{ follow: true, seconds: 0 }, /seconds must be an integer from 1 to 120/],
      [{ follow: true, seconds: 121 }, /seconds must be an integer from 1 to 120/],
      [{ follow: true, seconds: 1.5 }, /seconds must be an integer from 1 to 120/],
      [{ seconds: 5 }, /seconds applies only with follow: true/],
      [{ follow: true, previous: true }, /previous cannot be followed/],
    ] as const) {
      await expect(projectLogs(app, { project: 'web', ...input })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: like.stringMatching(message),
      });
    }
  });

  it('stops at the time bound and hands every text to onText before returning it', async () => {
    const app = await setup();
    const delivered: Array<{ text: string; lines: number }> = [];
    const started = Date.now();
    const r = await projectLogs(
      app,
      { project: 'web', follow: true, seconds: 1 },
      { signal: new AbortController().signal, onText: (text, lines) => void delivered.push({ text, lines }) },
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(r.followed).toMatchObject({ endedBy: 'time' });
    expect(delivered.map((d) => d.text).join('')).toBe(r.text);
    expect(r.text).toContain('env KEY=[REDACTED]');
    expect(delivered.at(-1)!.lines).toBe(r.lines);
  });

  it('stops as soon as the caller aborts', async () => {
    const app = await setup();
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 100);
    const started = Date.now();
    const r = await projectLogs(
      app,
      { project: 'web', follow: true, seconds: 60 },
      { signal: abort.signal, onText: () => undefined },
    );
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r.followed).toMatchObject({ endedBy: 'cancelled' });
  });
});
