/**
 * Claims made at the same instant: two add_domain calls of different projects for one host, and
 * add_domain against create_project for the address it would take, run together on the real
 * services (SQLite, memory backends); exactly one wins, the other gets CONFLICT naming the winner,
 * and nothing of the loser is written (DNS, Ingress, rows). Two create_project calls at once by a
 * token with --max-projects 1, over HTTP: one creates, the other is refused with the count.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningHttp } from '../../src/main/run-serve.js';
import { createAgentToken } from '../../src/services/access/agent-tokens.js';
import { addDomain } from '../../src/services/domains/add-domain.service.js';
import { createProject } from '../../src/services/projects/create-project.service.js';
import { createLifecycleApp, type LifecycleApp } from '../support/lifecycle-app.js';
import { connectHttp } from '../support/mcp-clients.js';
import { postgresBinaries, startTestPostgres } from '../support/postgres.js';
import { serveHttp } from '../support/serve-http.js';
import { tempDir } from '../support/test-app.js';

type Result = { isError?: boolean; content: Array<{ text: string }> };
const text = (r: unknown) => (r as Result).content[0]!.text;

async function twoDeployedProjects(env: Record<string, string> = {}, databaseFile?: string): Promise<LifecycleApp> {
  const lc = await createLifecycleApp(env, databaseFile);
  lc.app.resolver = { resolve: () => Promise.resolve({ addresses: [], cnames: [] }) };
  for (const name of ['shop', 'blog']) {
    await createProject(lc.app, { name });
    await lc.deployer.apply({
      project: name,
      image: `r.test/x/${name}@sha256:${'c'.repeat(64)}`,
      port: 80,
      replicas: 1,
      env: {},
      secrets: {},
      hosts: [`${name}.example.test`],
    });
  }
  return lc;
}

/** The one fulfilled result's index and the other's error, failing unless exactly one call won. */
function oneWinner(results: PromiseSettledResult<unknown>[]): {
  winner: number;
  error: { code: string; message: string };
} {
  const won = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
  const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code: string; message: string }] : []));
  expect(won, JSON.stringify(lost)).toHaveLength(1);
  expect(lost).toHaveLength(1);
  return { winner: won[0]!, error: lost[0]! };
}

describe('claims made at the same time', () => {
  it('two projects adding one host at once: one gets it, the other CONFLICT and nothing written', async () => {
    const lc = await twoDeployedProjects();
    const host = 'shared.example.test';
    const projects = ['shop', 'blog'];
    const results = await Promise.allSettled(projects.map((project) => addDomain(lc.app, { project, domain: host })));
    const { winner, error } = oneWinner(results);
    const [won, lost] = winner === 0 ? projects : [...projects].reverse();
    expect(error.code).toBe('CONFLICT');
    expect(error.message).toContain(`"${won}"`);
    expect(await lc.dns.listRecords({ name: host })).toEqual([
      expect.objectContaining({ type: 'CNAME', content: `${won}.example.test` }),
    ]);
    expect((await lc.app.store.projects.require(won!)).customDomains).toEqual([host]);
    expect((await lc.app.store.projects.require(lost!)).customDomains).toEqual([]);
    expect(lc.deployer.applied(won!)!.hosts).toContain(host);
    expect(lc.deployer.applied(lost!)!.hosts).toEqual([`${lost}.example.test`]);
  });

  it("add_domain of another project's future address while create_project makes it: one wins", async () => {
    const lc = await twoDeployedProjects();
    const host = 'gamma.example.test';
    const results = await Promise.allSettled([
      createProject(lc.app, { name: 'gamma' }),
      addDomain(lc.app, { project: 'shop', domain: host }),
    ]);
    const { winner, error } = oneWinner(results);
    expect(error.code).toBe('CONFLICT');
    const gamma = await lc.app.store.projects.get('gamma');
    const shop = await lc.app.store.projects.require('shop');
    if (winner === 0) {
      expect(error.message).toContain('"gamma"');
      expect(shop.customDomains).toEqual([]);
      expect(lc.deployer.applied('shop')!.hosts).toEqual(['shop.example.test']);
      expect(await lc.dns.listRecords({ name: host })).toEqual([
        expect.objectContaining({ type: 'A', content: lc.app.config.CLUSTER_IP }),
      ]);
    } else {
      expect(error.message).toContain('"shop"');
      expect(gamma).toBeUndefined();
      expect(shop.customDomains).toEqual([host]);
      expect(await lc.dns.listRecords({ name: host })).toEqual([
        expect.objectContaining({ type: 'CNAME', content: 'shop.example.test' }),
      ]);
    }
  });

  it.skipIf(!postgresBinaries)(
    'two replicas (one database, no common process) adding one host at once: the host lock spans replicas',
    async () => {
      const postgres = await startTestPostgres();
      try {
        // The locks are PostgreSQL's advisory locks; the rows a shared SQLite file both replicas open.
        const env = { THREESIX_DATABASE_URL: await postgres.freshDatabase() };
        const file = `${tempDir()}/threesix.db`;
        const a = await twoDeployedProjects(env, file);
        const b = await createLifecycleApp(env, file, a);
        const host = 'shared.example.test';
        const results = await Promise.allSettled([
          addDomain(a.app, { project: 'shop', domain: host }),
          addDomain(b.app, { project: 'blog', domain: host }),
        ]);
        const { winner, error } = oneWinner(results);
        const [won, lost] = winner === 0 ? ['shop', 'blog'] : ['blog', 'shop'];
        expect(error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining(`"${won}"`) as unknown });
        expect(await a.dns.listRecords({ name: host })).toEqual([
          expect.objectContaining({ type: 'CNAME', content: `${won}.example.test` }),
        ]);
        expect((await a.app.store.projects.require(lost)).customDomains).toEqual([]);
        expect(a.deployer.applied(lost)!.hosts).toEqual([`${lost}.example.test`]);
      } finally {
        await postgres.stop();
      }
    },
    60_000,
  );

  describe('--max-projects 1 and two create_project calls at once', () => {
    let http: RunningHttp | undefined;
    const clients: Client[] = [];
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
      await http?.close();
    });

    it('creates one project and refuses the other with the count', async () => {
      const lc = await createLifecycleApp();
      http = await serveHttp(lc.app);
      const { token } = await createAgentToken(lc.app.store.access, { name: 'once', scope: 'write', maxProjects: 1 });
      // Each creation takes a while, so the second call is checked while the first is still creating.
      lc.faults.git.onCall('createRepo', () => new Promise((resolve) => setTimeout(resolve, 300)));
      const url = new URL(`${http.url}/mcp`);
      for (let i = 0; i < 2; i++) clients.push(await connectHttp(url, { Authorization: `Bearer ${token}` }));
      const names = ['one-a', 'one-b'];
      const results = await Promise.all(
        names.map((name, i) => clients[i]!.callTool({ name: 'create_project', arguments: { name } })),
      );
      const ok = results.filter((r) => !r.isError);
      const refused = results.filter((r) => r.isError);
      expect(ok, results.map(text).join('\n')).toHaveLength(1);
      expect(text(refused[0])).toMatch(/^PERMISSION_DENIED: token "once" owns 1 projects, its limit is 1/);
      expect(await lc.app.store.access.countOwnedProjects('once')).toBe(1);
      const made = await Promise.all(names.map((name) => lc.app.store.projects.get(name)));
      expect(made.filter(Boolean)).toHaveLength(1);
    });
  });
});
