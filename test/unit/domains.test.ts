import { describe, expect, it } from 'vitest';
import { addDomain } from '../../src/services/domains/add-domain.service.js';
import { removeDomain } from '../../src/services/domains/remove-domain.service.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { createLifecycleApp, type LifecycleApp } from '../support/lifecycle-app.js';

async function withShop(resolution = { addresses: [] as string[], cnames: [] as string[] }): Promise<LifecycleApp> {
  const lc = await createLifecycleApp();
  lc.app.resolver = { resolve: () => Promise.resolve(resolution) };
  await createProject(lc.app, { name: 'shop' });
  await createProject(lc.app, { name: 'blog' });
  await lc.deployer.apply({
    project: 'shop',
    image: 'r.test/x/shop@sha256:' + 'c'.repeat(64),
    port: 80,
    replicas: 1,
    env: {},
    secrets: {},
    hosts: ['shop.example.test'],
  });
  return lc;
}

describe('custom domains', () => {
  it('adds an external domain to the Ingress and tells the owner which CNAME to create', async () => {
    const lc = await withShop({ addresses: [], cnames: ['shop.example.test'] });
    const outcome = await addDomain(lc.app, { project: 'shop', domain: 'WWW.Shop.IO.' });
    expect(outcome).toMatchObject({
      domain: 'www.shop.io',
      managedByUs: false,
      resolves: true,
      ingress: 'applied',
      record: { name: 'www.shop.io', type: 'CNAME', content: 'shop.example.test' },
    });
    expect(lc.deployer.applied('shop')!.hosts).toEqual(['shop.example.test', 'www.shop.io']);
    expect((await lc.app.store.projects.require('shop')).customDomains).toEqual(['www.shop.io']);
    expect(lc.dns.writes).toBe(2);
    // Again is a no-op that still answers.
    await addDomain(lc.app, { project: 'shop', domain: 'www.shop.io' });
    expect((await lc.app.store.projects.require('shop')).customDomains).toEqual(['www.shop.io']);
  });

  it('asks for an A record at an apex, and reports an unresolved name as such', async () => {
    const lc = await withShop();
    const outcome = await addDomain(lc.app, { project: 'shop', domain: 'shop.io', dryRun: true });
    expect(outcome).toMatchObject({ record: { type: 'A', content: '127.0.0.1' }, resolves: false, ingress: 'planned' });
    expect((await lc.app.store.projects.require('shop')).customDomains).toEqual([]);
  });

  it('creates the CNAME itself inside its own zone, and removes it again', async () => {
    const lc = await withShop();
    const outcome = await addDomain(lc.app, { project: 'shop', domain: 'store.example.test' });
    expect(outcome.managedByUs).toBe(true);
    expect(await lc.dns.listRecords({ name: 'store.example.test' })).toEqual([
      expect.objectContaining({ type: 'CNAME', content: 'shop.example.test', owner: 'threesix' }),
    ]);
    await expect(
      removeDomain(lc.app, { project: 'shop', domain: 'store.example.test', confirm: 'shop' }),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    const removed = await removeDomain(lc.app, {
      project: 'shop',
      domain: 'store.example.test',
      confirm: 'store.example.test',
    });
    expect(removed.removed).toEqual(['Ingress host store.example.test', 'DNS CNAME store.example.test']);
    expect(await lc.dns.listRecords({ name: 'store.example.test' })).toEqual([]);
    expect(lc.deployer.applied('shop')!.hosts).toEqual(['shop.example.test']);
  });

  it("refuses platform names, another project's address or domain, and invalid names", async () => {
    const lc = await withShop();
    await addDomain(lc.app, { project: 'blog', domain: 'blog.io' });
    const refused = async (domain: string) =>
      (await addDomain(lc.app, { project: 'shop', domain }).catch((e: { code: string }) => e)) as { code: string };
    expect((await refused('blog.io')).code).toBe('CONFLICT');
    expect((await refused('blog.example.test')).code).toBe('CONFLICT');
    expect((await refused('git.example.test')).code).toBe('INVALID_INPUT');
    expect((await refused('www.example.test')).code).toBe('INVALID_INPUT');
    expect((await refused('example.test')).code).toBe('INVALID_INPUT');
    expect((await refused('shop.example.test')).code).toBe('INVALID_INPUT');
    expect((await refused('bad_name.io')).code).toBe('INVALID_INPUT');
    // And a later project cannot take a name a custom domain already uses.
    await addDomain(lc.app, { project: 'shop', domain: 'later.example.test' });
    await expect(createProject(lc.app, { name: 'later' })).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('before the first deploy, records the domain for the deploy to pick up', async () => {
    const lc = await withShop();
    expect((await addDomain(lc.app, { project: 'blog', domain: 'blog.io' })).ingress).toBe('pending-first-deploy');
    expect(lc.deployer.applied('blog')).toBeUndefined();
  });

  it('undoes its earlier steps when a later one fails: the CNAME it created goes, the row is put back (through MCP)', async () => {
    const lc = await withShop();
    const client = await connectInMemory(lc.app);
    const snapshot = async () =>
      JSON.stringify({
        records: await lc.dns.listRecords({}),
        // The row is written first and put back, so only its updatedAt may differ.
        shop: { ...(await lc.app.store.projects.require('shop')), updatedAt: undefined },
        hosts: lc.deployer.applied('shop')!.hosts,
      });
    const before = await snapshot();
    lc.faults.deployer.failNext('setHosts');
    const failed = await client.callTool({
      name: 'add_domain',
      arguments: { project: 'shop', domain: 'www-shop.example.test' },
    });
    expect(failed.isError).toBe(true);
    expect(await snapshot()).toBe(before);
    // Nothing half-done blocks the retry.
    expect(
      (await client.callTool({ name: 'add_domain', arguments: { project: 'shop', domain: 'www-shop.example.test' } }))
        .isError,
    ).toBeFalsy();
    expect(lc.deployer.applied('shop')!.hosts).toEqual(['shop.example.test', 'www-shop.example.test']);
    await client.close();
  });
});
