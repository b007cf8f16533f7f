/**
 * The agent's build loop through a real MCP client against `serve --sandbox`, with real git: a
 * pushed Dockerfile kaniko cannot build gives a failed build that list_builds shows with its failed
 * step, build_logs shows why (kaniko's own message), the project's events get `ci.build_failed`
 * and its subscribers an update, and nothing is deployed; the fix pushed next goes live; rebuild
 * runs the pipeline again (a new build of the branch head, or a restart of a given build).
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Booted } from '../../src/main/boot.js';
import type { RunningHttp } from '../../src/main/run-serve.js';
import { eventually } from '../support/eventually.js';
import { pushFile } from '../support/git-push.js';
import { connectHttp } from '../support/mcp-clients.js';
import { startSandboxServer, type SandboxServer } from '../support/sandbox-server.js';

const BROKEN = 'FROM docker.io/library/busybox:1.37\nWORKDIR /www\nCOPY . .\nRUNN echo typo\n';
const FIXED =
  'FROM docker.io/library/busybox:1.37\nWORKDIR /www\nCOPY . .\nEXPOSE 8080\nUSER 65534\nCMD ["httpd", "-f", "-v", "-p", "8080", "-h", "/www"]\n';

/** What these tools answer, as far as this test reads it. */
type ProjectView = {
  deployment: { status: string; sha: string };
  live: { ci: { data: { lastPipeline: unknown } } };
};
type Builds = { builds: Array<{ number: number; finishedAt: unknown }> };
type BuildLogs = { text: string; untrusted: string; steps: Array<{ name: string }> };
type Rebuilt = { build: number };

describe('builds through MCP in the sandbox', () => {
  let booted: Booted;
  let http: RunningHttp;
  let client: Client;
  /** A tool's structured answer, typed as the shape the caller reads; a tool error throws. */
  const call = async <T = Record<string, unknown>>(name: string, args: Record<string, unknown>): Promise<T> => {
    const result = await client.callTool({ name, arguments: args });
    if (result.isError) throw new Error((result.content as Array<{ text: string }>)[0]!.text);
    return result.structuredContent as T;
  };
  const failure = async (name: string, args: Record<string, unknown>): Promise<string> => {
    const result = await client.callTool({ name, arguments: args });
    expect(result.isError).toBe(true);
    return (result.content as Array<{ text: string }>)[0]!.text;
  };

  let server: SandboxServer;
  beforeAll(async () => {
    // CI's notify and report-failure steps call back into this server at THREESIX_PUBLIC_URL.
    server = await startSandboxServer();
    ({ booted, http, client } = server);
  }, 30_000);
  afterAll(async () => {
    await server?.close();
  });

  it("a broken Dockerfile: failed build with its step and kaniko's reason, an event, nothing deployed; the fix goes live; rebuild runs again", async () => {
    const created = await call<{ cloneHttp: string }>('create_project', { name: 'buildy' });
    const seeded = await eventually(
      async () => {
        const view = await call<ProjectView>('get_project', { project: 'buildy' });
        expect(view.deployment.status).toBe('running');
        return view;
      },
      30_000,
      200,
    );
    const watcher = await connectHttp(new URL(`${http.url}/mcp`));
    const updated: string[] = [];
    watcher.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updated.push(n.params.uri));
    await watcher.subscribeResource({ uri: 'threesix://projects/buildy' });

    const broken = await pushFile(created.cloneHttp, booted.config.GITEA_TOKEN!, {
      path: 'Dockerfile',
      content: BROKEN,
      message: 'typo in the Dockerfile',
    });
    const failed = await eventually(
      async () => {
        const { builds } = await call<Builds>('list_builds', { project: 'buildy' });
        expect(builds[0]).toMatchObject({
          commit: broken,
          status: 'failure',
          failedStep: 'build-and-push',
          event: 'push',
          branch: 'main',
        });
        return builds[0]!;
      },
      30_000,
      200,
    );
    expect(failed.finishedAt).toEqual(expect.any(String));

    const logs = await call<BuildLogs>('build_logs', { project: 'buildy' });
    expect(logs).toMatchObject({
      build: failed.number,
      status: 'failure',
      commit: broken,
      step: { name: 'build-and-push', state: 'failure', exitCode: 1 },
    });
    expect(logs.text).toContain(
      'error building image: parsing dockerfile: dockerfile parse error on line 4: unknown instruction: RUNN (did you mean RUN?)',
    );
    expect(logs.untrusted).toMatch(/untrusted/i);
    expect(logs.steps.map((s) => s.name)).toEqual(['clone', 'build-and-push', 'notify-threesix', 'report-failure']);
    const clone = await call('build_logs', { project: 'buildy', build: failed.number, step: 'clone', tail: 1 });
    expect(clone).toMatchObject({ step: { name: 'clone', state: 'success' }, lines: 1 });

    const event = await eventually(
      async () => {
        const read = await client.readResource({ uri: 'threesix://projects/buildy/events' });
        const { events } = JSON.parse((read.contents[0] as { text: string }).text) as {
          events: Array<{ action: string; detail: Record<string, unknown> }>;
        };
        const found = events.find((e) => e.action === 'ci.build_failed');
        expect(found).toBeDefined();
        return found!;
      },
      10_000,
      100,
    );
    expect(event.detail).toMatchObject({ sha: broken, pipeline: failed.number, failedStep: 'build-and-push' });
    await eventually(() => expect(updated).toContain('threesix://projects/buildy'), 5_000, 50);
    await watcher.close();
    const view = await call<ProjectView>('get_project', { project: 'buildy' });
    expect(view.deployment.sha).toBe(seeded.deployment.sha); // nothing deployed
    expect(view.live.ci.data.lastPipeline).toMatchObject({
      number: failed.number,
      status: 'failure',
      failedStep: 'build-and-push',
    });

    const fixed = await pushFile(created.cloneHttp, booted.config.GITEA_TOKEN!, {
      path: 'Dockerfile',
      content: FIXED,
      message: 'fix the Dockerfile',
    });
    await eventually(
      async () => {
        const live = await call<ProjectView>('get_project', { project: 'buildy' });
        expect(live.deployment).toMatchObject({ status: 'running', sha: fixed });
      },
      30_000,
      200,
    );

    expect(await call('rebuild', { project: 'buildy', dryRun: true })).toMatchObject({
      dryRun: true,
      build: null,
      branch: 'main',
    });
    const again = await call<Rebuilt>('rebuild', { project: 'buildy' });
    expect(again).toMatchObject({ dryRun: false, restartedFrom: null, branch: 'main', commit: fixed });
    expect(again.build).toBeGreaterThan(failed.number + 1);
    await eventually(
      async () => {
        const { builds } = await call<Builds>('list_builds', { project: 'buildy', limit: 1 });
        expect(builds[0]).toMatchObject({
          number: again.build,
          event: 'manual',
          status: 'success',
          commit: fixed,
          failedStep: null,
        });
      },
      30_000,
      200,
    );
    const restarted = await call<Rebuilt>('rebuild', { project: 'buildy', build: failed.number });
    expect(restarted).toMatchObject({ restartedFrom: failed.number, commit: broken, build: again.build + 1 });
    await eventually(
      async () => {
        const { builds } = await call<Builds>('list_builds', { project: 'buildy', limit: 1 });
        expect(builds[0]).toMatchObject({ number: restarted.build, status: 'failure', failedStep: 'build-and-push' });
      },
      30_000,
      200,
    );
    // The fixed commit still runs: a re-run of an old, broken commit deploys nothing.
    expect((await call<ProjectView>('get_project', { project: 'buildy' })).deployment.sha).toBe(fixed);

    expect(await failure('build_logs', { project: 'buildy', build: 999 })).toMatch(/^NOT_FOUND: /);
    expect(await failure('build_logs', { project: 'buildy', step: 'no-such-step' })).toMatch(
      /^NOT_FOUND: .*no step "no-such-step".*Its steps: clone, build-and-push/,
    );
    expect(await failure('rebuild', { project: 'buildy', build: 999 })).toMatch(/^NOT_FOUND: /);
    expect(await failure('list_builds', { project: 'nope' })).toMatch(/^NOT_FOUND: /);
    await call('delete_project', { project: 'buildy', confirm: 'buildy' });
  }, 120_000);
});
