/**
 * `threesix-mcp smoke` (built CLI) against `threesix-mcp sandbox` (built CLI), each in its own
 * process and connected only by the env file, as an operator would run them. A passing run prints
 * every step and leaves no project behind; a run that fails after creating its project still
 * deletes it and exits 1. With --mcp-url it drives a running `serve` (built CLI, configured by the
 * same env file) over streamable HTTP, as an operator checks a cluster. What is left is checked
 * through the stand-ins' own APIs.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, ensureBuilt, exited, runBuiltCli, startSandboxCli, type SandboxChild } from '../support/sandbox-cli.js';
import { freePort } from '../../src/main/webhook-listener.js';
import { eventually } from '../support/eventually.js';
import { tempDir } from '../support/test-app.js';

const smoke = (env: Record<string, string>, args: string[] = []) =>
  runBuiltCli(['smoke', '--timeout', '20', ...args], env);

describe('threesix-mcp smoke against threesix-mcp sandbox (built CLI)', () => {
  let sandbox: SandboxChild;
  beforeAll(async () => {
    ensureBuilt();
    sandbox = await startSandboxCli(join(tempDir(), 'data'));
  }, 30_000);
  afterAll(async () => {
    await sandbox?.stop();
  });

  /** What the simulated platform holds, asked through each stand-in's own API. */
  async function leftovers(): Promise<string[]> {
    const env = sandbox.env;
    const repos = (await (
      await fetch(`${env.GITEA_URL}/api/v1/orgs/${env.GITEA_DEFAULT_ORG}/repos`, {
        headers: { authorization: `token ${env.GITEA_TOKEN}` },
      })
    ).json()) as Array<{ name: string }>;
    const dns = (await (
      await fetch(`${env.CLOUDFLARE_API_URL}/zones/${env.CLOUDFLARE_ZONE_ID}/dns_records?per_page=1000`, {
        headers: { authorization: `Bearer ${env.CLOUDFLARE_API_TOKEN}` },
      })
    ).json()) as {
      result: Array<{ name: string }>;
    };
    const kube = JSON.parse(readFileSync(env.KUBECONFIG!, 'utf8')) as {
      clusters: Array<{ cluster: { server: string } }>;
      users: Array<{ user: { token: string } }>;
    };
    const deployments = (await (
      await fetch(`${kube.clusters[0]!.cluster.server}/apis/apps/v1/namespaces/projects/deployments`, {
        headers: { authorization: `Bearer ${kube.users[0]!.user.token}` },
      })
    ).json()) as {
      items: Array<{ metadata: { name: string } }>;
    };
    return [
      ...repos.map((r) => `repository ${r.name}`),
      ...dns.result.map((r) => `dns ${r.name}`).filter((name) => name.includes('smoke-')),
      ...deployments.items.map((d) => `deployment ${d.metadata.name}`),
    ];
  }

  it('creates, pushes, sees the pushed commit running, deletes, and exits 0 with nothing left', async () => {
    const { code, stdout, stderr } = await smoke({
      PATH: process.env.PATH ?? '',
      ...sandbox.env,
      THREESIX_DATA_DIR: tempDir(),
      THREESIX_LOG_LEVEL: 'error',
    });
    expect(stderr).toBe('');
    expect(code, stdout).toBe(0);
    const lines = stdout.trim().split('\n');
    const project = /project (smoke-[0-9a-f]{6})/.exec(lines[0]!)![1]!;
    const steps = lines
      .slice(1, -1)
      .map((line) => /^(ok|FAIL|skip)\s+\d+\.\d\d s {2}([^:]+):/.exec(line)?.slice(1, 3).join(' '));
    expect(steps).toEqual([
      'ok configuration',
      `ok create project ${project}`,
      'ok push a commit with git',
      'ok CI build and rollout',
      'ok workload runs the pushed commit',
      'skip live URL',
      `ok delete project ${project}`,
    ]);
    const sha = /commit ([0-9a-f]{12}) on /.exec(stdout)![1]!;
    // The workload line names the image CI built for the pushed commit, pinned by digest.
    expect(stdout).toMatch(
      new RegExp(
        `workload runs the pushed commit: 1/1 ready, \\S+/${project}@sha256:[0-9a-f]{64} \\(\\S+/${project}:${sha}`,
      ),
    );
    expect(lines.at(-1)).toMatch(/^smoke: passed in \d+\.\d s$/);
    expect(stdout).not.toContain(sandbox.env.CLOUDFLARE_API_TOKEN);
    expect(stdout).not.toContain(sandbox.env.WOODPECKER_TOKEN);
    expect(await leftovers()).toEqual([]);
  }, 60_000);

  it('fails at the push when git is missing, still deletes the project, and exits 1 with nothing left', async () => {
    // An empty PATH: the smoke's own process finds no git (the stand-ins, in the sandbox process, keep theirs).
    const { code, stdout } = await smoke({
      PATH: tempDir(),
      ...sandbox.env,
      THREESIX_DATA_DIR: tempDir(),
      THREESIX_LOG_LEVEL: 'error',
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^FAIL\s+\d+\.\d\d s {2}push a commit with git: git is not on PATH/m);
    expect(stdout).toMatch(
      /^ok\s+\d+\.\d\d s {2}delete project smoke-[0-9a-f]{6}: removed .*repository threesix\/smoke-/m,
    );
    expect(stdout).not.toMatch(/CI build and rollout/);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/^smoke: FAILED at push a commit with git after/);
    expect(await leftovers()).toEqual([]);
  }, 60_000);

  it("with --mcp-url drives a running serve over HTTP with its bearer token; that server takes CI's callback", async () => {
    const port = await freePort('127.0.0.1');
    const token = 'smoke-test-http-token-0123456789abcdef';
    const serve = spawn(process.execPath, [CLI, 'serve', '--port', String(port)], {
      env: {
        PATH: process.env.PATH ?? '',
        ...sandbox.env,
        THREESIX_DATA_DIR: tempDir(),
        THREESIX_LOG_LEVEL: 'error',
        THREESIX_HTTP_TOKEN: token,
        THREESIX_PUBLIC_URL: `http://127.0.0.1:${port}`,
      },
      stdio: 'ignore',
    });
    try {
      await eventually(
        async () => expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200),
        15_000,
        100,
      );
      // Only what an operator's machine has: git, the Gitea token, the MCP endpoint and its token.
      const { code, stdout } = await smoke(
        { PATH: process.env.PATH ?? '', GITEA_TOKEN: sandbox.env.GITEA_TOKEN!, THREESIX_HTTP_TOKEN: token },
        ['--mcp-url', `http://127.0.0.1:${port}/mcp`],
      );
      expect(code, stdout).toBe(0);
      expect(stdout).toMatch(
        /^ok\s+\d+\.\d\d s {2}configuration: threesix \S+ at http:\/\/127\.0\.0\.1:\d+\/mcp; CI calls back to that server$/m,
      );
      expect(stdout).toMatch(/^ok\s+\d+\.\d\d s {2}workload runs the pushed commit: 1\/1 ready/m);
      expect(stdout).not.toContain(token);
      expect(await leftovers()).toEqual([]);
      // Without the bearer token the server refuses, and the smoke says so at its first step.
      const refused = await smoke({ PATH: process.env.PATH ?? '', GITEA_TOKEN: sandbox.env.GITEA_TOKEN! }, [
        '--mcp-url',
        `http://127.0.0.1:${port}/mcp`,
      ]);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/^FAIL\s+\d+\.\d\d s {2}configuration: /m);
      expect(refused.stdout).not.toMatch(/delete project/);
    } finally {
      serve.kill('SIGTERM');
      await exited(serve);
    }
  }, 60_000);

  it('Ctrl-C while it waits for the rollout still deletes the project, then exits 1', async () => {
    const child = spawn(process.execPath, [CLI, 'smoke', '--timeout', '20'], {
      env: { PATH: process.env.PATH ?? '', ...sandbox.env, THREESIX_DATA_DIR: tempDir(), THREESIX_LOG_LEVEL: 'error' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    await eventually(() => expect(stdout).toMatch(/push a commit with git: commit/), 20_000, 20);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(1);
    expect(stdout).toMatch(/^SIGINT: stopping; the project is deleted first/m);
    expect(stdout).toMatch(/^FAIL\s+\d+\.\d\d s {2}CI build and rollout: interrupted by SIGINT$/m);
    expect(stdout).toMatch(/^ok\s+\d+\.\d\d s {2}delete project smoke-[0-9a-f]{6}: removed /m);
    expect(await leftovers()).toEqual([]);
  }, 60_000);
});
