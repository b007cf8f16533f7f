/**
 * SIGKILL at every step of create_project and delete_project, with a real server process: the
 * stand-ins (in this process) add latency so each step is slow, the test watches the SQLite
 * journal for the step turning `running`, kills the server, restarts it, and waits for the
 * start-up resume to finish the operation. Then reconcile, run here with the real adapters against
 * the same stand-ins and database, must find no drift and no orphan in any backend.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standIns } from '../../src/sandbox/index.js';
import { inspectPlatform, startCrashSession, startServer, type CrashSession } from '../support/crash-harness.js';
import { connectHttp } from '../support/mcp-clients.js';

const CREATE_STEPS: Array<[step: string, needs: string | null]> = [
  ['dns', 'dns'], ['repo', null], ['collaborators', null], ['deploy-key', null], ['ci', 'ci'], ['starter-files', null],
];
// The rows step only touches the database (microseconds), so there is no window to kill inside it.
const DELETE_STEPS: Array<[step: string, needs: string | null]> = [['deployment', 'deployer'], ['database', 'deployer'], ['dns', 'dns'], ['ci', 'ci'], ['git-access', null], ['repo', null]];
// A step whose backend has no stand-in in this build is skipped by the operation, so it cannot be killed: skip it visibly.
const simulatable = new Set<string>(standIns.map(s => s.backend));
const runnable = (steps: typeof CREATE_STEPS) => steps.filter(([, needs]) => needs === null || simulatable.has(needs));
const skipped = (steps: typeof CREATE_STEPS) => steps.filter(([, needs]) => needs !== null && !simulatable.has(needs));

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

  /** Starts `tool` for `target`, kills the server while `step` runs, restarts it, and returns the resumed operation's status. */
  async function crashDuring(tool: string, args: Record<string, unknown>, target: string, step: string): Promise<string> {
    const { watch } = session;
    const client: Client = await connectHttp(session.server.url);
    void client.callTool({ name: tool, arguments: args }).catch(() => undefined);
    await watch.until(() => watch.latest(tool, target)?.steps[step] === 'running', 20_000, `${tool} ${target} step ${step} running`);
    await session.server.kill();
    void client.close().catch(() => undefined);
    expect(watch.latest(tool, target)).toMatchObject({ status: 'running' });
    session.server = await startServer(session.rig);
    const done = await watch.until(() => {
      const op = watch.latest(tool, target);
      return op && op.status !== 'running' ? op : undefined;
    }, 30_000, `${tool} ${target} resumed`);
    return done.status;
  }

  it.skip.each(skipped(CREATE_STEPS))('create_project killed during %s (no %s stand-in in this build)', () => undefined);
  it.each(runnable(CREATE_STEPS))('create_project killed during %s resumes at start-up and succeeds', async step => {
    const name = `crash-c-${step}`;
    expect(await crashDuring('create_project', { name }, name, step)).toBe('succeeded');
    created.push(name);
  }, 60_000);

  it.skip.each(skipped(DELETE_STEPS))('delete_project killed during %s (no %s stand-in in this build)', () => undefined);
  it.each(runnable(DELETE_STEPS))('delete_project killed during %s resumes at start-up and removes everything', async step => {
    const name = created.shift();
    expect(name, 'a project left from the create cases').toBeDefined();
    expect(await crashDuring('delete_project', { name, confirm: name }, name!, step)).toBe('succeeded');
    deleted.push(name!);
  }, 60_000);

  it('leaves the database and every backend in agreement: no drift, no orphan', async () => {
    const { report, rows, repos } = await inspectPlatform(session);
    expect(report.drift).toEqual([]);
    for (const backend of session.rig.simulated.filter(b => b !== 'registry')) expect(report.backends[backend]).toBe('ok');
    expect(rows).toEqual(created.map(name => [name, 'ready']));
    for (const name of deleted) expect(rows.some(([row]) => row === name)).toBe(false);
    expect(repos.sort()).toEqual([...created].sort());
  }, 30_000);
});
