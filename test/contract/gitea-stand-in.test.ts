/**
 * The Gitea stand-in's own promises to its other users (the CI stand-in, `--sandbox`): push
 * events for API commits, hook filters, and repositories that survive a restart.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { GiteaGitHost } from '../../src/adapters/gitea/gitea-git-host.js';
import { startGiteaStandIn, type GiteaStandIn, type PushEvent } from '../../src/sandbox/gitea/index.js';
import { like } from '../support/matchers.js';
import { createSpecCheck } from '../support/spec-check.js';
import { tempDir } from '../support/test-app.js';

const running: GiteaStandIn[] = [];
// One check for every stand-in this file starts (restarts on the same data dir included).
const spec = createSpecCheck('gitea');
afterEach(async () => {
  for (const gitea of running.splice(0)) await gitea.stop();
  expect(spec.takeViolations()).toEqual([]);
});
afterAll(() => expect(spec.observed()).toBeGreaterThan(0));

async function start(dataDir = tempDir('threesix-gitea-')) {
  const gitea = await startGiteaStandIn({ dataDir, token: 'fixed-token', observer: spec.observe });
  running.push(gitea);
  return { gitea, dataDir, host: new GiteaGitHost({ url: gitea.url, token: gitea.token, org: gitea.org }) };
}

const run = promisify(execFile);
const git = async (cwd: string, ...args: string[]) =>
  (await run('git', ['-c', 'user.name=dev', '-c', 'user.email=dev@example.test', ...args], { cwd })).stdout.trim();

function changeFiles(gitea: GiteaStandIn, repo: string, body: unknown): Promise<Response> {
  return fetch(`${gitea.url}/api/v1/repos/${gitea.org}/${repo}/contents`, {
    method: 'POST',
    headers: { authorization: `token ${gitea.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('Gitea stand-in', () => {
  it('fires push for a contents-API commit to hooks that want it, and tells onPush listeners', async () => {
    const { gitea, host } = await start();
    const bodies: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req
        .on('data', (c) => (body += c))
        .on('end', () => (bodies.push(`${req.headers['content-type']} ${body.slice(0, 8)}`), res.end()));
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    await host.createRepo({ name: 'svc', description: '', private: false, autoInit: true });
    await host.ensureWebhook('svc', { url: `${url}/all`, secret: 's', events: ['push'] });
    await host.ensureWebhook('svc', { url: `${url}/issues-only`, secret: 's', events: ['issues'] });
    const hook = await fetch(`${gitea.url}/api/v1/repos/threesix/svc/hooks`, {
      method: 'POST',
      headers: { authorization: `token ${gitea.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'gitea',
        config: { url: `${url}/release-branch`, content_type: 'form' },
        events: ['push'],
        branch_filter: 'release/*',
        active: true,
      }),
    });
    expect(hook.status).toBe(201);
    const event = new Promise<PushEvent>((resolve) => gitea.onPush(resolve));
    const { sha } = await host.commitFiles('svc', {
      branch: 'main',
      message: 'Seed',
      files: [{ path: 'a.txt', content: 'a' }],
    });
    const pushed = await event;
    expect(pushed).toMatchObject({ owner: 'threesix', repo: 'svc', ref: 'refs/heads/main', after: sha });
    expect(pushed.deliveries).toEqual([{ hookId: like.any(Number), url: `${url}/all`, status: 200 }]);
    expect(pushed.payload).toMatchObject({ total_commits: 1, head_commit: { id: sha, added: ['a.txt'] } });
    expect(bodies).toEqual(['application/json {\n  "ref']);
    receiver.close();
  });

  it('commits through the contents API into a real repository: ids agree with git, it clones, fscks and takes a push', async () => {
    const { gitea, host } = await start();
    const repo = await host.createRepo({ name: 'real', description: '', private: false, autoInit: false });
    const files = [
      { path: 'README.md', content: '# real\n' },
      { path: 'deep/er/a file.txt', content: 'spaced\n' },
      { path: 'gone.txt', content: 'x' },
    ];
    const first = await host.commitFiles('real', { branch: 'main', message: 'Seed', files, allNew: true });
    const answer = await changeFiles(gitea, 'real', {
      branch: 'main',
      message: 'Second',
      files: [
        { operation: 'delete', path: 'gone.txt' },
        { operation: 'create', path: 'deep/b.txt', content: Buffer.from('b\n').toString('base64') },
      ],
    });
    expect(answer.status).toBe(201);
    const body = (await answer.json()) as {
      commit: { sha: string; tree: { sha: string }; parents: Array<{ sha: string }> };
      files: Array<{ path: string; sha: string }>;
    };
    expect(body.commit.parents.map((p) => p.sha)).toEqual([first.sha]);
    const checkout = join(tempDir('threesix-gitea-clone-'), 'c');
    const remote = new URL(repo.cloneHttp);
    remote.username = 'dev';
    remote.password = gitea.token;
    await git(tmpdir(), 'clone', '--quiet', remote.toString(), checkout);
    expect((await git(checkout, 'rev-parse', 'HEAD', 'HEAD^{tree}', 'HEAD:deep/b.txt')).split('\n')).toEqual([
      body.commit.sha,
      body.commit.tree.sha,
      body.files[0]!.sha,
    ]);
    expect(await git(checkout, 'ls-tree', '-r', '--name-only', 'HEAD')).toBe(
      'README.md\ndeep/b.txt\ndeep/er/a file.txt',
    );
    await git(checkout, 'fsck', '--strict', '--no-dangling');
    writeFileSync(join(checkout, 'pushed.txt'), 'p\n');
    await git(checkout, 'add', 'pushed.txt');
    await git(checkout, 'commit', '--quiet', '-m', 'Pushed');
    await git(checkout, 'push', '--quiet', 'origin', 'HEAD:main');
    expect((await host.getBranchHead('real', 'main')).sha).toBe(await git(checkout, 'rev-parse', 'HEAD'));
  });

  it('refuses paths git cannot store, and an update naming a stale blob, without committing', async () => {
    const { gitea, host } = await start();
    await host.createRepo({ name: 'strict', description: '', private: false, autoInit: true });
    const head = await host.getBranchHead('strict', 'main');
    for (const path of ['../escape', 'a//b', '.git/config', 'x/./y']) {
      const answer = await changeFiles(gitea, 'strict', { files: [{ operation: 'create', path, content: 'eA==' }] });
      expect(answer.status, path).toBe(422);
    }
    const stale = await changeFiles(gitea, 'strict', {
      files: [{ operation: 'update', path: 'README.md', content: 'eA==', sha: '0'.repeat(40) }],
    });
    expect(stale.status).toBe(422);
    expect(await host.getBranchHead('strict', 'main')).toEqual(head);
  });

  it('keeps repositories, hooks and git data across a restart of the same data dir', async () => {
    const first = await start();
    await first.host.createRepo({ name: 'kept', description: 'still here', private: false, autoInit: true });
    const head = await first.host.getBranchHead('kept', 'main');
    await first.gitea.stop();
    running.splice(running.indexOf(first.gitea), 1);
    const second = await start(first.dataDir);
    expect(await second.host.getRepo('kept')).toMatchObject({ description: 'still here', managed: true, empty: false });
    expect(await second.host.getBranchHead('kept', 'main')).toEqual(head);
  });

  it('answers 401 to the API and to git without the token', async () => {
    const { gitea } = await start();
    expect((await fetch(`${gitea.url}/api/v1/user`)).status).toBe(401);
    expect((await fetch(`${gitea.url}/api/v1/user`, { headers: { authorization: 'token wrong' } })).status).toBe(401);
    expect((await fetch(`${gitea.url}/api/v1/version`)).status).toBe(200);
    const refs = await fetch(`${gitea.url}/threesix/any.git/info/refs?service=git-upload-pack`);
    expect(refs.status).toBe(401);
    expect(refs.headers.get('www-authenticate')).toBe('Basic realm="Gitea"');
  });
});
