/**
 * Starts the real distribution registry (Debian package `docker-registry`) on a loopback port
 * picked per run, with a throw-away config and storage directory. `null` when it is not installed,
 * so callers can skip visibly.
 */
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './test-app.js';
import { freePort } from '../../src/main/webhook-listener.js';

export const DOCKER_REGISTRY_PRESENT =
  spawnSync('sh', ['-c', 'command -v docker-registry'], { encoding: 'utf8' }).status === 0;

if (!DOCKER_REGISTRY_PRESENT) {
  process.stderr.write(
    '\n[threesix tests] NOTE: docker-registry is not on PATH; the real-registry contract run is SKIPPED (apt-get install docker-registry).\n\n',
  );
}

export async function startRealRegistry(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = tempDir('threesix-registry-');
  const port = await freePort('127.0.0.1');
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => void (stderr = (stderr + String(chunk)).slice(-2000)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const ok = await fetch(`${url}/v2/`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill();
      throw new Error(`docker-registry did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
