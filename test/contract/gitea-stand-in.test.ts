/**
 * The Gitea stand-in's own promises to its other users (the CI stand-in, `--sandbox`): push
 * events for API commits, hook filters, and repositories that survive a restart.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GiteaGitHost } from '../../src/adapters/gitea/gitea-git-host.js';
import { startGiteaStandIn, type GiteaStandIn, type PushEvent } from '../../src/sandbox/gitea/index.js';
import { tempDir } from '../support/test-app.js';

const running: GiteaStandIn[] = [];
afterEach(async () => {
  for (const gitea of running.splice(0)) await gitea.stop();
});

async function start(dataDir = tempDir('threesix-gitea-')) {
  const gitea = await startGiteaStandIn({ dataDir, token: 'fixed-token' });
  running.push(gitea);
  return { gitea, dataDir, host: new GiteaGitHost({ url: gitea.url, token: gitea.token, org: gitea.org }) };
}

describe('Gitea stand-in', () => {
  it('fires push for a contents-API commit to hooks that want it, and tells onPush listeners', async () => {
    const { gitea, host } = await start();
    const bodies: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', c => (body += c)).on('end', () => (bodies.push(`${req.headers['content-type']} ${body.slice(0, 8)}`), res.end()));
    });
    await new Promise<void>(resolve => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    await host.createRepo({ name: 'svc', description: '', private: false, autoInit: true });
    await host.ensureWebhook('svc', { url: `${url}/all`, secret: 's', events: ['push'] });
    await host.ensureWebhook('svc', { url: `${url}/issues-only`, secret: 's', events: ['issues'] });
    const hook = await fetch(`${gitea.url}/api/v1/repos/threesix/svc/hooks`, {
      method: 'POST', headers: { authorization: `token ${gitea.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'gitea', config: { url: `${url}/release-branch`, content_type: 'form' }, events: ['push'], branch_filter: 'release/*', active: true }),
    });
    expect(hook.status).toBe(201);
    const event = new Promise<PushEvent>(resolve => gitea.onPush(resolve));
    const { sha } = await host.commitFiles('svc', { branch: 'main', message: 'Seed', files: [{ path: 'a.txt', content: 'a' }] });
    const pushed = await event;
    expect(pushed).toMatchObject({ owner: 'threesix', repo: 'svc', ref: 'refs/heads/main', after: sha });
    expect(pushed.deliveries).toEqual([{ hookId: expect.any(Number), url: `${url}/all`, status: 200 }]);
    expect(pushed.payload).toMatchObject({ total_commits: 1, head_commit: { id: sha, added: ['a.txt'] } });
    expect(bodies).toEqual(['application/json {\n  "ref']);
    receiver.close();
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
