import { beforeEach, describe, expect, it } from 'vitest';
import { MemoryGitHost } from '../../src/adapters/memory/memory-git-host.js';
import type { AppContext } from '../../src/services/shared/app-context.js';
import { addCollaborator } from '../../src/services/repos/add-collaborator.service.js';
import { addDeployKey } from '../../src/services/repos/add-deploy-key.service.js';
import { createRepo } from '../../src/services/repos/create-repo.service.js';
import { deleteRepo } from '../../src/services/repos/delete-repo.service.js';
import { getRepo } from '../../src/services/repos/get-repo.service.js';
import { newSshPublicKey } from '../support/ssh-key.js';
import { createTestApp } from '../support/test-app.js';
import { like } from '../support/matchers.js';

// The header of a private key, assembled so no scanner mistakes this test for a leaked key.
const PRIVATE_KEY_HEADER = `-----BEGIN OPENSSH ${'PRIVATE'} KEY-----`;

describe('repository services on the in-memory git host', () => {
  let git: MemoryGitHost;
  let app: AppContext;
  beforeEach(async () => {
    git = new MemoryGitHost({ users: ['alice'] });
    app = await createTestApp({
      factories: { git: () => ({ provider: 'memory', endpoint: null, build: () => Promise.resolve(git) }) },
    });
  });
  const repoCount = async () => (await git.listRepos()).total;

  it('creates a repository once and returns the same one when asked again', async () => {
    const first = await createRepo(app, { project: 'shop', description: 'a shop' });
    expect(first).toMatchObject({
      created: true,
      fullName: 'threesix/shop',
      repo: { defaultBranch: 'main', managed: true, empty: false },
    });
    expect(first.repo!.cloneHttp).toMatch(/\/threesix\/shop\.git$/);
    expect(first.repo!.cloneSsh).toMatch(/threesix\/shop\.git$/);
    const again = await createRepo(app, { project: 'shop' });
    expect(again).toMatchObject({ created: false, repo: { id: first.repo!.id } });
    expect(await repoCount()).toBe(1);
  });

  it('records the repository on an existing project row', async () => {
    await app.store.projects.create({ name: 'blog', description: '' });
    const { repo } = await createRepo(app, { project: 'blog' });
    expect(await app.store.projects.require('blog')).toMatchObject({
      gitRepoId: repo!.id,
      gitCloneHttp: repo!.cloneHttp,
      gitWebUrl: repo!.webUrl,
    });
  });

  it('refuses a foreign repository: CONFLICT on create, PRECONDITION_FAILED with the reason on delete and changes', async () => {
    git.addForeignRepo('theirs');
    await expect(createRepo(app, { project: 'theirs' })).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(deleteRepo(app, { project: 'theirs', confirm: 'theirs' })).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      message: like.stringContaining('no threesix-managed topic and no threesix project'),
    });
    await expect(
      addCollaborator(app, { project: 'theirs', username: 'alice', permission: 'admin' }),
    ).rejects.toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect((await getRepo(app, 'theirs')).ours).toBe(false);
    expect(await repoCount()).toBe(1);
  });

  it('treats a repository recorded in a project row as ours even without the marker', async () => {
    const foreign = git.addForeignRepo('legacy');
    await app.store.projects.create({ name: 'legacy', description: '', gitRepoName: 'legacy', gitRepoId: foreign.id });
    expect((await createRepo(app, { project: 'legacy' })).created).toBe(false);
    expect(await deleteRepo(app, { project: 'legacy', confirm: 'legacy' })).toMatchObject({ deleted: true });
    expect(await repoCount()).toBe(0);
  });

  it('changes nothing on a dry run', async () => {
    expect(await createRepo(app, { project: 'dry', dryRun: true })).toEqual({
      repo: null,
      fullName: 'threesix/dry',
      created: false,
      dryRun: true,
    });
    expect(await repoCount()).toBe(0);
    await createRepo(app, { project: 'dry' });
    expect(await deleteRepo(app, { project: 'dry', confirm: 'dry', dryRun: true })).toMatchObject({
      deleted: false,
      existed: true,
    });
    expect(
      await addDeployKey(app, { project: 'dry', title: 'ci', publicKey: newSshPublicKey(), dryRun: true }),
    ).toMatchObject({ key: { id: null } });
    expect(await git.listDeployKeys('dry')).toEqual([]);
    expect(await repoCount()).toBe(1);
  });

  it.each([
    ['an invalid project name', () => createRepo(app, { project: 'Bad_Name' })],
    ['a reserved project name', () => createRepo(app, { project: 'registry' })],
    ['a control character in the description', () => createRepo(app, { project: 'ok', description: 'a\u0000b' })],
    ['a confirm that does not match', () => deleteRepo(app, { project: 'keep', confirm: 'kepp' })],
    ['an unknown permission', () => addCollaborator(app, { project: 'keep', username: 'alice', permission: 'owner' })],
    [
      'a username with a path in it',
      () => addCollaborator(app, { project: 'keep', username: '../admin', permission: 'read' }),
    ],
    [
      'a private key as publicKey',
      () => addDeployKey(app, { project: 'keep', title: 'ci', publicKey: `${PRIVATE_KEY_HEADER}\nabc` }),
    ],
    [
      'garbage as publicKey',
      () => addDeployKey(app, { project: 'keep', title: 'ci', publicKey: 'ssh-ed25519 not-a-key' }),
    ],
  ])('refuses %s with INVALID_INPUT and changes nothing', async (_label, call) => {
    await createRepo(app, { project: 'keep' });
    const before = JSON.stringify(await git.listRepos());
    await expect(call()).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(JSON.stringify(await git.listRepos())).toBe(before);
    expect(await git.listDeployKeys('keep')).toEqual([]);
  });

  it('adds a read-only deploy key by default, idempotently, and a collaborator', async () => {
    await createRepo(app, { project: 'svc' });
    const publicKey = newSshPublicKey('deploy@svc');
    const first = await addDeployKey(app, { project: 'svc', title: 'ci', publicKey });
    expect(first.key).toMatchObject({ title: 'ci', readOnly: true, type: 'ssh-ed25519' });
    expect((await addDeployKey(app, { project: 'svc', title: 'ci', publicKey })).key.id).toBe(first.key.id);
    expect(await git.listDeployKeys('svc')).toHaveLength(1);
    expect(await addCollaborator(app, { project: 'svc', username: 'alice', permission: 'write' })).toMatchObject({
      permission: 'write',
    });
    await expect(
      addCollaborator(app, { project: 'svc', username: 'nobody', permission: 'read' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('reports an already deleted repository instead of failing', async () => {
    expect(await deleteRepo(app, { project: 'ghost', confirm: 'ghost' })).toEqual({
      fullName: 'threesix/ghost',
      deleted: false,
      existed: false,
      dryRun: false,
    });
  });
});
