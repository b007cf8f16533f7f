/**
 * The repository tools end to end: a real MCP SDK client calls the tools, the real gitea-js
 * adapter talks to the Gitea stand-in (every API exchange checked against Gitea's swagger), and
 * real git clones and pushes over smart HTTP; the push webhook lands on a local receiver and its
 * signature is verified over the raw body.
 */
import { execFile } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/services/shared/app-context.js';
import { startValidatedGitea, type ValidatedGitea } from '../support/gitea-stand-in.js';
import { giteaDefinitionErrors } from '../support/gitea-definitions.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { newSshPublicKey } from '../support/ssh-key.js';
import { createTestApp, tempDir } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

// The header of a private key, assembled so no scanner mistakes this test for a leaked key.
const PRIVATE_KEY_HEADER = `-----BEGIN OPENSSH ${'PRIVATE'} KEY-----`;

const run = promisify(execFile);
const git = (args: string[], cwd: string) =>
  run('git', ['-c', 'credential.helper=', '-c', 'user.name=Agent', '-c', 'user.email=agent@example.test', ...args], {
    cwd,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });

interface Received {
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function startReceiver(): Promise<{ server: Server; url: string; next(): Promise<Received> }> {
  const waiting: Array<(r: Received) => void> = [];
  const queue: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const received = { headers: req.headers, body: Buffer.concat(chunks) };
      const waiter = waiting.shift();
      if (waiter) waiter(received);
      else queue.push(received);
      res.writeHead(202).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/gitea`;
      const next = () =>
        new Promise<Received>((ok, fail) => {
          const queued = queue.shift();
          if (queued) return ok(queued);
          const timer = setTimeout(() => fail(new Error('no webhook within 10 s')), 10_000);
          waiting.push((r) => (clearTimeout(timer), ok(r)));
        });
      resolve({ server, url, next });
    }),
  );
}

type ToolResult = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};
/** The repository as create_repo and get_repo answer it, as far as this test reads it. */
type Repo = { id: number; cloneSsh: string; cloneHttp: string; createdAt: string; updatedAt: string };
/** The parts of Gitea's push webhook payload checked against its swagger definitions. */
type PushPayload = {
  head_commit: Record<string, unknown>;
  repository: unknown;
  pusher: unknown;
  commits: Array<Record<string, unknown>>;
};

describe('repository tools over MCP against the Gitea stand-in with real git', () => {
  let stand: ValidatedGitea;
  let app: AppContext;
  let client: Client;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const outputs: string[] = [];
  const call = async (name: string, args: Record<string, unknown>) => {
    const result = (await client.callTool({ name, arguments: args })) as ToolResult;
    outputs.push(JSON.stringify(result));
    return result;
  };

  beforeAll(async () => {
    stand = await startValidatedGitea();
    receiver = await startReceiver();
    app = await createTestApp({ env: { GITEA_URL: stand.gitea.url, GITEA_TOKEN: stand.gitea.token } });
    client = await connectInMemory(app);
  });
  afterAll(async () => {
    await client?.close();
    receiver?.server.close();
    await stand?.stop();
  });

  it('creates, clones, pushes (webhook signed), shares and deletes a repository', async () => {
    const created = await call('create_repo', { project: 'e2e-app', description: 'end to end' });
    expect(created.isError).toBeFalsy();
    const { repo } = created.structuredContent as { repo: Repo };
    expect(repo).toMatchObject({ fullName: 'threesix/e2e-app', defaultBranch: 'main', managed: true, empty: false });
    expect(repo.cloneSsh).toMatch(/threesix\/e2e-app\.git$/);
    expect((await call('create_repo', { project: 'e2e-app' })).structuredContent).toMatchObject({
      created: false,
      repo: { id: repo.id },
    });

    const secret = 'hook-secret-for-e2e';
    await (await app.backends.git.get()).ensureWebhook('e2e-app', { url: receiver.url, secret, events: ['push'] });

    const work = tempDir('threesix-clone-');
    const authed = repo.cloneHttp.replace('://', `://agent:${stand.gitea.token}@`);
    await expect(
      git(['clone', repo.cloneHttp.replace('://', '://agent:wrong-token@'), 'denied'], work),
    ).rejects.toThrow(/401|Authentication failed/);
    await expect(git(['clone', repo.cloneHttp, 'anonymous'], work)).rejects.toThrow();
    await git(['clone', authed, 'app'], work);
    const dir = join(work, 'app');
    expect((await git(['log', '--format=%s', 'main'], dir)).stdout.trim()).toBe('Initial commit');
    writeFileSync(join(dir, 'index.html'), '<h1>hello</h1>\n');
    await git(['add', 'index.html'], dir);
    await git(['commit', '-m', 'Add a page'], dir);
    const head = (await git(['rev-parse', 'HEAD'], dir)).stdout.trim();
    // get_repo reports Gitea's created_at and updated_at; Gitea keeps whole seconds, so wait for
    // the clock to pass the creation second before pushing, then the push must move updatedAt.
    const before = (await call('get_repo', { project: 'e2e-app' })).structuredContent!.repo as Repo;
    expect(before.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    await eventually(() => expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(before.updatedAt) + 1000), 3000, 50);
    await git(['push', 'origin', 'main'], dir);
    const after = (await call('get_repo', { project: 'e2e-app' })).structuredContent!.repo as Repo;
    expect(after.createdAt).toBe(before.createdAt);
    expect(Date.parse(after.updatedAt)).toBeGreaterThan(Date.parse(before.updatedAt));

    const hook = await receiver.next();
    expect(hook.headers['x-gitea-event']).toBe('push');
    expect(hook.headers['x-gitea-event-type']).toBe('push');
    expect(hook.headers['x-gitea-delivery']).toMatch(/^[0-9a-f-]{36}$/);
    expect(hook.headers['content-type']).toBe('application/json');
    const expected = createHmac('sha256', secret).update(hook.body).digest();
    const signature = Buffer.from(String(hook.headers['x-gitea-signature']), 'hex');
    expect(signature.length).toBe(32);
    expect(timingSafeEqual(signature, expected)).toBe(true);
    const payload = JSON.parse(hook.body.toString('utf8')) as PushPayload;
    expect(payload).toMatchObject({
      ref: 'refs/heads/main',
      after: head,
      total_commits: 1,
      repository: { full_name: 'threesix/e2e-app' },
    });
    expect(payload.head_commit).toMatchObject({ id: head, message: 'Add a page\n', added: ['index.html'] });
    expect((await (await app.backends.git.get()).getBranchHead('e2e-app', 'main')).sha).toBe(head);
    // Gitea sends `verification: null` in push payloads although the swagger has no null there.
    const commit = ({ verification: _v, ...rest }: Record<string, unknown>) => rest;
    expect(giteaDefinitionErrors('Repository', payload.repository)).toEqual([]);
    expect(giteaDefinitionErrors('User', payload.pusher)).toEqual([]);
    expect(giteaDefinitionErrors('PayloadCommit', commit(payload.head_commit))).toEqual([]);
    for (const c of payload.commits) expect(giteaDefinitionErrors('PayloadCommit', commit(c))).toEqual([]);

    expect(
      (await call('add_collaborator', { project: 'e2e-app', username: 'alice', permission: 'write' })).isError,
    ).toBeFalsy();
    const key = await call('add_deploy_key', { project: 'e2e-app', title: 'ci', publicKey: newSshPublicKey('ci@e2e') });
    expect(key.structuredContent).toMatchObject({ key: { title: 'ci', readOnly: true } });
    expect(await (await app.backends.git.get()).listDeployKeys('e2e-app')).toEqual([
      expect.objectContaining({ id: (key.structuredContent as { key: { id: number } }).key.id, readOnly: true }),
    ]);

    const refused = await call('delete_repo', { project: 'e2e-app', confirm: 'e2e-ap' });
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toMatch(/^INVALID_INPUT: confirm must equal "e2e-app"/);
    expect((await call('delete_repo', { project: 'e2e-app', confirm: 'e2e-app' })).structuredContent).toMatchObject({
      deleted: true,
    });
    const gone = await call('get_repo', { project: 'e2e-app' });
    expect(gone.isError).toBe(true);
    expect(gone.content[0]!.text).toMatch(/^NOT_FOUND/);

    const audited = (await app.store.audit.list({ target: 'e2e-app' })).map((e) => `${e.action}:${e.result}`);
    expect(audited).toEqual(
      expect.arrayContaining([
        'create_repo:ok',
        'add_collaborator:ok',
        'add_deploy_key:ok',
        'delete_repo:error',
        'delete_repo:ok',
      ]),
    );
    expect(audited.some((a) => a.startsWith('get_repo'))).toBe(false);
    expect(stand.takeViolations()).toEqual([]);
  });

  it('refuses a foreign repository without touching it', async () => {
    const response = await fetch(`${stand.gitea.url}/api/v1/orgs/threesix/repos`, {
      method: 'POST',
      headers: { authorization: `token ${stand.gitea.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'someone-else', auto_init: true }),
    });
    expect(response.status).toBe(201);
    const create = await call('create_repo', { project: 'someone-else' });
    expect(create.content[0]!.text).toMatch(
      /^CONFLICT: repository threesix\/someone-else already exists and was not created by threesix/,
    );
    const del = await call('delete_repo', { project: 'someone-else', confirm: 'someone-else' });
    expect(del.content[0]!.text).toMatch(
      /^PRECONDITION_FAILED: refusing to delete threesix\/someone-else: it has no threesix-managed topic/,
    );
    expect((await call('get_repo', { project: 'someone-else' })).structuredContent).toMatchObject({ ours: false });
    expect(stand.takeViolations()).toEqual([]);
  });

  it('rejects hostile input before any request reaches Gitea', async () => {
    await call('create_repo', { project: 'target' });
    const before = stand.exchanges();
    const hostile: Array<[string, Record<string, unknown>]> = [
      ['create_repo', { project: '../../admin' }],
      ['create_repo', { project: 'UPPER' }],
      ['create_repo', { project: 'x--y' }],
      ['create_repo', { project: 'a'.repeat(41) }],
      ['create_repo', { project: 'git' }],
      ['create_repo', { project: 'ok-name', description: 'nul\u0000byte' }],
      ['delete_repo', { project: 'target', confirm: 'TARGET' }],
      ['add_collaborator', { project: 'target', username: 'alice', permission: 'owner' }],
      ['add_collaborator', { project: 'target', username: 'alice/../../x', permission: 'read' }],
      ['add_deploy_key', { project: 'target', title: 'ci', publicKey: 'ssh-rsa AAAAB3NzaC1yc2E= short' }],
      ['add_deploy_key', { project: 'target', title: 'ci', publicKey: PRIVATE_KEY_HEADER }],
      ['add_deploy_key', { project: 'target', title: '', publicKey: newSshPublicKey() }],
    ];
    for (const [tool, args] of hostile) {
      const result = await call(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(result.content[0]!.text, `${tool} ${JSON.stringify(args)}`).toMatch(/^INVALID_INPUT: /);
    }
    expect(stand.exchanges()).toBe(before);
    const git = await app.backends.git.get();
    expect((await git.listRepos({ limit: 50 })).items.map((r) => r.name).sort()).toEqual(['someone-else', 'target']);
    expect(await git.listDeployKeys('target')).toEqual([]);
    expect(stand.takeViolations()).toEqual([]);
  });

  it('diagnoses the token, the organization and repository-creation rights for doctor', async () => {
    const rows = await (await app.backends.git.get()).diagnose!();
    expect(rows.map((r) => [r.check, r.ok])).toEqual([
      ['gitea version', true],
      ['token', true],
      ['organization', true],
      ['permissions', true],
    ]);
    expect(rows[1]!.detail).toContain('gitea-admin');
    const { GiteaGitHost } = await import('../../src/adapters/gitea/gitea-git-host.js');
    const wrong = new GiteaGitHost({ url: stand.gitea.url, token: 'not-the-token', org: 'threesix' });
    await expect(wrong.probe()).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const denied = await wrong.diagnose();
    expect(denied.find((r) => r.check === 'token')).toMatchObject({
      ok: false,
      detail: expect.stringMatching(/^PERMISSION_DENIED/) as unknown,
    });
    const elsewhere = new GiteaGitHost({ url: stand.gitea.url, token: stand.gitea.token, org: 'no-such-org' });
    expect((await elsewhere.diagnose()).find((r) => r.check === 'organization')).toMatchObject({ ok: false });
    expect(stand.takeViolations()).toEqual([]);
  });

  it('never shows the Gitea token in any tool output', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const output of outputs) expect(output).not.toContain(stand.gitea.token);
  });
});
