/**
 * The GitHost port's behaviour, run against every adapter: the memory fake, the Gitea adapter
 * against our stand-in, and a real Gitea when one is configured. Repository names are random so
 * the suite can run against a shared real organization; every repository it makes it deletes.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHost } from '../../src/ports/git-host.port.js';
import { newSshPublicKey } from '../support/ssh-key.js';

export interface GitHostUnderTest {
  host: GitHost;
  /** A user that exists on the host, for collaborator tests. */
  existingUser: string;
  /** Runs after each test, e.g. to assert spec conformance of what was exchanged. */
  afterEach?(): void;
  close?(): Promise<void>;
}

const SHA = /^[0-9a-f]{40}$/;

export function describeGitHostContract(
  label: string,
  make: () => GitHostUnderTest | Promise<GitHostUnderTest>,
  options: { skip?: boolean } = {},
) {
  describe.skipIf(options.skip ?? false)(`GitHost contract: ${label}`, () => {
    let sut: GitHostUnderTest;
    const made: string[] = [];
    const name = (stem: string) => {
      const repo = `ct-${stem}-${randomBytes(3).toString('hex')}`;
      made.push(repo);
      return repo;
    };
    beforeAll(async () => {
      sut = await make();
    });
    afterAll(async () => {
      for (const repo of made) await sut.host.deleteRepo(repo).catch(() => undefined);
      await sut.close?.();
    });
    const check = () => sut.afterEach?.();

    it('creates a managed repository with a first commit on main, and reads it back', async () => {
      const repo = name('init');
      const created = await sut.host.createRepo({
        name: repo,
        description: 'contract',
        private: false,
        autoInit: true,
      });
      expect(created).toMatchObject({
        name: repo,
        owner: sut.host.org,
        fullName: `${sut.host.org}/${repo}`,
        managed: true,
        empty: false,
        defaultBranch: 'main',
        archived: false,
      });
      expect(created.cloneHttp).toMatch(new RegExp(`^https?://.+/${sut.host.org}/${repo}\\.git$`));
      expect(created.cloneSsh).toMatch(new RegExp(`${sut.host.org}/${repo}\\.git$`));
      expect(created.webUrl).toMatch(new RegExp(`/${sut.host.org}/${repo}$`));
      expect(await sut.host.getRepo(repo)).toEqual(created);
      expect((await sut.host.getBranchHead(repo, 'main')).sha).toMatch(SHA);
      check();
    });

    it('answers CONFLICT for a taken name and NOT_FOUND for a missing repository', async () => {
      const repo = name('dup');
      await sut.host.createRepo({ name: repo, description: '', private: true, autoInit: false });
      await expect(
        sut.host.createRepo({ name: repo, description: '', private: true, autoInit: false }),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(sut.host.getRepo(`ct-missing-${randomBytes(4).toString('hex')}`)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(sut.host.deleteRepo(`ct-missing-${randomBytes(4).toString('hex')}`)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      check();
    });

    it('says when a repository was created (whole seconds, as Gitea stores it) and marks one idempotently', async () => {
      const before = Math.floor(Date.now() / 1000) * 1000;
      const repo = name('mark');
      const created = await sut.host.createRepo({ name: repo, description: '', private: true, autoInit: false });
      const after = Date.now();
      const at = Date.parse(created.createdAt);
      // A real Gitea's clock may differ from ours by a little; the stand-ins share ours.
      expect(at).toBeGreaterThanOrEqual(before - 60_000);
      expect(at).toBeLessThanOrEqual(after + 60_000);
      expect(at % 1000).toBe(0);
      expect(created.owner.toLowerCase()).toBe(sut.host.org.toLowerCase());
      await sut.host.markManaged(repo);
      await sut.host.markManaged(repo);
      expect(await sut.host.getRepo(repo)).toEqual(created);
      await expect(sut.host.markManaged(`ct-missing-${randomBytes(4).toString('hex')}`)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      check();
    });

    it('seeds an empty repository with several files in one commit, then updates a file', async () => {
      const repo = name('seed');
      const empty = await sut.host.createRepo({ name: repo, description: '', private: false, autoInit: false });
      expect(empty).toMatchObject({ empty: true, managed: true });
      expect(await sut.host.getRepo(repo)).toEqual(empty);
      await expect(sut.host.getBranchHead(repo, 'main')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      const files = [
        { path: 'README.md', content: '# seed\n' },
        { path: 'src/index.js', content: 'console.log("hi")\n' },
      ];
      const first = await sut.host.commitFiles(repo, { branch: 'main', message: 'Seed', files, allNew: true });
      expect(first.sha).toMatch(SHA);
      expect(await sut.host.getBranchHead(repo, 'main')).toEqual(first);
      expect((await sut.host.getRepo(repo)).empty).toBe(false);
      const second = await sut.host.commitFiles(repo, {
        branch: 'main',
        message: 'Update',
        files: [{ path: 'README.md', content: '# seed v2\n' }],
      });
      expect(second.sha).not.toBe(first.sha);
      expect((await sut.host.getBranchHead(repo, 'main')).sha).toBe(second.sha);
      check();
    });

    it('refuses an all-new commit when one of its files exists, and changes nothing', async () => {
      const repo = name('allnew');
      await sut.host.createRepo({ name: repo, description: '', private: false, autoInit: false });
      const seeded = await sut.host.commitFiles(repo, {
        branch: 'main',
        message: 'Seed',
        files: [{ path: 'app.js', content: 'mine\n' }],
        allNew: true,
      });
      const again = {
        branch: 'main',
        message: 'Again',
        files: [
          { path: 'new.txt', content: 'x\n' },
          { path: 'app.js', content: 'theirs\n' },
        ],
        allNew: true,
      };
      await expect(sut.host.commitFiles(repo, again)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await sut.host.getBranchHead(repo, 'main')).toEqual(seeded);
      // Without allNew the same change reads the file first and updates it.
      const updated = await sut.host.commitFiles(repo, { ...again, allNew: false });
      expect(updated.sha).not.toBe(seeded.sha);
      check();
    });

    it('lists the organization page by page', async () => {
      const repos = [name('list'), name('list'), name('list')];
      for (const repo of repos)
        await sut.host.createRepo({ name: repo, description: '', private: false, autoInit: false });
      const seen: string[] = [];
      let page: number | undefined = 1;
      let total = 0;
      for (let guard = 0; page && guard < 100; guard++) {
        const result: Awaited<ReturnType<GitHost['listRepos']>> = await sut.host.listRepos({ page, limit: 2 });
        expect(result.items.length).toBeLessThanOrEqual(2);
        seen.push(...result.items.map((r) => r.name));
        total = result.total;
        page = result.nextPage;
      }
      expect(seen).toEqual(expect.arrayContaining(repos));
      expect(total).toBe(seen.length);
      expect(new Set(seen).size).toBe(seen.length);
      check();
    });

    it('adds a collaborator idempotently and refuses an unknown user', async () => {
      const repo = name('collab');
      await sut.host.createRepo({ name: repo, description: '', private: true, autoInit: false });
      await sut.host.addCollaborator(repo, sut.existingUser, 'write');
      await sut.host.addCollaborator(repo, sut.existingUser, 'read');
      await expect(
        sut.host.addCollaborator(repo, `nobody${randomBytes(4).toString('hex')}`, 'read'),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      check();
    });

    it('adds a deploy key once, returns it again for the same title and key, and deletes it', async () => {
      const repo = name('keys');
      await sut.host.createRepo({ name: repo, description: '', private: true, autoInit: false });
      const publicKey = newSshPublicKey();
      const key = await sut.host.addDeployKey(repo, { title: 'ci', key: publicKey, readOnly: true });
      expect(key).toMatchObject({ title: 'ci', readOnly: true });
      expect(publicKey.startsWith(key.key.trim())).toBe(true);
      expect(await sut.host.addDeployKey(repo, { title: 'ci', key: publicKey, readOnly: true })).toEqual(key);
      // The title is taken by another key: refused, not mistaken for the same key.
      await expect(
        sut.host.addDeployKey(repo, { title: 'ci', key: newSshPublicKey(), readOnly: true }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      expect(await sut.host.listDeployKeys(repo)).toEqual([key]);
      await sut.host.deleteDeployKey(repo, key.id);
      expect(await sut.host.listDeployKeys(repo)).toEqual([]);
      check();
    });

    it('ensures a webhook without duplicating it, and deletes it', async () => {
      const repo = name('hooks');
      await sut.host.createRepo({ name: repo, description: '', private: true, autoInit: false });
      const spec = { url: 'http://127.0.0.1:9/hook', secret: 's3cret-value', events: ['push'] };
      const first = await sut.host.ensureWebhook(repo, spec);
      expect(first).toMatchObject({ created: true, hook: { url: spec.url, events: ['push'], active: true } });
      const again = await sut.host.ensureWebhook(repo, spec);
      expect(again).toEqual({ created: false, hook: first.hook });
      expect(await sut.host.listWebhooks(repo)).toEqual([first.hook]);
      await sut.host.deleteWebhook(repo, first.hook.id);
      expect(await sut.host.listWebhooks(repo)).toEqual([]);
      check();
    });

    it('archives and deletes a repository', async () => {
      const repo = name('gone');
      await sut.host.createRepo({ name: repo, description: '', private: false, autoInit: true });
      await sut.host.archiveRepo(repo);
      expect((await sut.host.getRepo(repo)).archived).toBe(true);
      await sut.host.deleteRepo(repo);
      await expect(sut.host.getRepo(repo)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      check();
    });
  });
}
