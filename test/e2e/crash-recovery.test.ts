/**
 * SIGKILL at every step of create_project and delete_project, with a real server process: the
 * stand-ins (in this process) add latency so each step is slow, the test watches the SQLite
 * journal for the step turning `running`, kills the server, restarts it, and waits for the
 * start-up resume to finish the operation. Then reconcile, run here with the real adapters against
 * the same stand-ins and database, must find no drift and no orphan in any backend.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectPlatform, startCrashSession, startServer, type CrashSession } from '../support/crash-harness.js';
import { connectHttp } from '../support/mcp-clients.js';

// Every step's backend has a stand-in, so every step can be killed (none is skipped by the operation).
const CREATE_STEPS = ['dns', 'repo', 'collaborators', 'deploy-key', 'ci', 'starter-files'];
// The rows step only touches the database (microseconds), so there is no window to kill inside it.
const DELETE_STEPS = ['deployment', 'database', 'dns', 'ci', 'git-access', 'repo'];

describe('crash recovery: SIGKILL at each step, restart, converge', () => {
  let session: CrashSession;
  const created: string[] = [];
  const deleted: string[] = [];

  beforeAll(async () => {
    session = await startCrashSession(60);
  }, 30_000);
  afterAll(async () => {
    await session?.stop();
  });

  /**
   * Starts `tool` for `target`, kills the server while `step` runs, restarts it, and returns the
   * resumed operation's status.
   */
  async function crashDuring(
    tool: string,
    args: Record<string, unknown>,
    target: string,
    step: string,
  ): Promise<string> {
    const { watch } = session;
    const client: Client = await connectHttp(session.server.url);
    void client.callTool({ name: tool, arguments: args }).catch(() => undefined);
    await watch.until(
      () => watch.latest(tool, target)?.steps[step] === 'running',
      20_000,
      `${tool} ${target} step ${step} running`,
    );
    await session.server.kill();
    void client.close().catch(() => undefined);
    expect(watch.latest(tool, target)).toMatchObject({ status: 'running' });
    session.server = await startServer(session.rig);
    const done = await watch.until(
      () => {
        const op = watch.latest(tool, target);
        return op && op.status !== 'running' ? op : undefined;
      },
      30_000,
      `${tool} ${target} resumed`,
    );
    return done.status;
  }

  it.each(CREATE_STEPS)(
    'create_project killed during %s resumes at start-up and succeeds',
    async (step) => {
      const name = `crash-c-${step}`;
      expect(await crashDuring('create_project', { name }, name, step)).toBe('succeeded');
      created.push(name);
    },
    60_000,
  );

  it.each(DELETE_STEPS)(
    'delete_project killed during %s resumes at start-up and removes everything',
    async (step) => {
      const name = created.shift();
      expect(name, 'a project left from the create cases').toBeDefined();
      expect(await crashDuring('delete_project', { project: name, confirm: name }, name!, step)).toBe('succeeded');
      deleted.push(name!);
    },
    60_000,
  );

  it('leaves the database and every backend in agreement: no drift, no orphan', async () => {
    const { report, rows, repos } = await inspectPlatform(session);
    expect(report.drift).toEqual([]);
    for (const backend of session.rig.simulated.filter((b) => b !== 'registry'))
      expect(report.backends[backend]).toBe('ok');
    expect(rows).toEqual(created.map((name) => [name, 'ready']));
    for (const name of deleted) expect(rows.some(([row]) => row === name)).toBe(false);
    expect(repos.sort()).toEqual([...created].sort());
  }, 30_000);
});
