/**
 * `threesix-mcp doctor` as an operator runs it: the built CLI, spawned with a misconfigured
 * environment. `npm test` builds dist/ first (pretest); a direct vitest run builds it when missing.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBuiltCli, type CliRun } from '../support/sandbox-cli.js';
import { exchangeLogEnv } from '../support/exchange-log.js';
import { tempDir } from '../support/test-app.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CLI = resolve(ROOT, 'dist/cli.js');

function doctor(env: Record<string, string>, args: string[] = []): Promise<CliRun> {
  // Only what the test sets: the developer's own GITEA_TOKEN or KUBECONFIG must not leak in.
  return runBuiltCli(['doctor', ...args], {
    PATH: process.env.PATH ?? '',
    THREESIX_DATA_DIR: tempDir(),
    ...exchangeLogEnv(),
    ...env,
  });
}

/** A loopback port nothing listens on: bind, read the port, close. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe('threesix-mcp doctor (built CLI)', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  });

  it('prints a FAIL row for Gitea on a closed port, exits 1, and never prints the token', async () => {
    const token = 'doctor-test-gitea-token-0123456789';
    const { code, stdout, stderr } = await doctor({
      GITEA_URL: `http://127.0.0.1:${await closedPort()}`,
      GITEA_TOKEN: token,
    });
    expect(code).toBe(1);
    expect(stdout.split('\n')[0]).toMatch(/^BACKEND\s+CHECK\s+STATUS\s+DETAIL$/);
    expect(stdout).toMatch(/^git\s+\S+\s+FAIL\s+\S/m);
    expect(stdout).toMatch(/^database\s+sqlite\s+ok/m);
    expect(stdout).toMatch(/doctor: \d+ problem/);
    expect(stdout + stderr).not.toContain(token);
  });

  it('prints a FAIL row for a Woodpecker answering 503 and exits 1 (its retry back-off keeps the CLI alive)', async () => {
    const { createServer: createHttpServer } = await import('node:http');
    let requests = 0;
    const woodpecker = createHttpServer((_req, res) => {
      requests++;
      res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"down"}');
    });
    await new Promise<void>((r) => woodpecker.listen(0, '127.0.0.1', r));
    try {
      const { port } = woodpecker.address() as { port: number };
      const { code, stdout } = await doctor({
        WOODPECKER_URL: `http://127.0.0.1:${port}`,
        WOODPECKER_TOKEN: 'doctor-test-woodpecker-token',
      });
      expect(stdout).toMatch(/^ci\s+\S+\s+FAIL\s+\S/m);
      expect(code).toBe(1);
      expect(requests).toBeGreaterThan(1);
    } finally {
      await new Promise<void>((r) => woodpecker.close(() => r()));
    }
  });

  it('exits 1 on an invalid THREESIX_HTTP_PORT, naming the variable but not the value', async () => {
    const { code, stdout, stderr } = await doctor({ THREESIX_HTTP_PORT: '70123' });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^config\s+THREESIX_HTTP_PORT\s+FAIL/m);
    expect(stdout + stderr).not.toContain('70123');
  });

  it('fails a public bind without a token and a half-configured Woodpecker', async () => {
    const { code, stdout } = await doctor({ THREESIX_HTTP_HOST: '0.0.0.0', WOODPECKER_URL: 'https://ci.example.com' });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^http\s+token\s+FAIL\s+.*THREESIX_HTTP_TOKEN/m);
    expect(stdout).toMatch(/^ci\s+variables\s+FAIL\s+.*WOODPECKER_TOKEN not set/m);
  });

  it('with --sandbox, checks every backend the stand-ins simulate and exits 0 when all pass', async () => {
    const { code, stdout } = await doctor({}, ['--sandbox']);
    expect(stdout).toMatch(/^database\s+sqlite\s+ok/m);
    // Each backend gets a row: probed through its stand-in, or skipped when this build has none.
    for (const backend of ['git', 'dns', 'ci', 'deployer', 'registry'])
      expect(stdout).toMatch(new RegExp(`^${backend}( \\(sandbox\\))?\\s`, 'm'));
    expect(stdout).not.toMatch(/FAIL/);
    expect(code).toBe(0);
  });
});
