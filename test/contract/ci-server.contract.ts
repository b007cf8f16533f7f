/**
 * The CiServer contract: what every adapter (memory fake, Woodpecker over its stand-in, a real
 * Woodpecker) must do. `makeAdapter` returns a fresh adapter plus a forge repository id that the
 * CI server may activate (the real one needs a repository that exists on its forge).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import type { CiServer } from '../../src/ports/ci-server.port.js';

export interface CiServerFixture {
  ci: CiServer;
  /** A forge repository the CI server can activate, with its full name. */
  forgeRepo(): { id: number; fullName: string } | Promise<{ id: number; fullName: string }>;
  /** Called after each test (stop servers, remove what was made). */
  cleanup?(): Promise<void>;
}

export function describeCiServerContract(
  label: string,
  makeFixture: () => CiServerFixture | Promise<CiServerFixture>,
): void {
  describe(`CiServer contract: ${label}`, () => {
    let fx: CiServerFixture;
    beforeEach(async () => {
      fx = await makeFixture();
    });
    afterEach(async () => {
      await fx.cleanup?.();
    });

    it('probes', async () => {
      await expect(fx.ci.probe()).resolves.toBeUndefined();
    });

    it('activates a repository and finds it by name and in the list', async () => {
      const forge = await fx.forgeRepo();
      const repo = await fx.ci.activate(forge.id, forge.fullName);
      expect(repo).toMatchObject({ forgeRemoteId: forge.id, fullName: forge.fullName, active: true });
      expect(repo.id).toBeGreaterThan(0);
      expect(repo.webUrl).toMatch(/^https?:\/\//);
      expect(await fx.ci.lookup(forge.fullName)).toMatchObject({ id: repo.id, active: true });
      expect((await fx.ci.listRepos()).map((r) => r.id)).toContain(repo.id);
      await fx.ci.deactivate(repo.id);
    });

    it('treats activating an active repository as success and returns the same repository', async () => {
      const forge = await fx.forgeRepo();
      const first = await fx.ci.activate(forge.id, forge.fullName);
      const second = await fx.ci.activate(forge.id, forge.fullName);
      expect(second.id).toBe(first.id);
      expect(second.active).toBe(true);
      await fx.ci.deactivate(first.id);
    });

    it('answers undefined when looking up an unknown repository', async () => {
      expect(await fx.ci.lookup('threesix/no-such-repo-for-contract')).toBeUndefined();
    });

    it('upserts a secret twice (create, then update)', async () => {
      const forge = await fx.forgeRepo();
      const repo = await fx.ci.activate(forge.id, forge.fullName);
      await fx.ci.upsertSecret(repo.id, { name: 'contract_secret', value: 'one', events: ['push'] });
      await fx.ci.upsertSecret(repo.id, { name: 'contract_secret', value: 'two', events: ['push', 'manual'] });
      await fx.ci.deactivate(repo.id);
    });

    it('refuses a secret without events before calling out', async () => {
      const forge = await fx.forgeRepo();
      const repo = await fx.ci.activate(forge.id, forge.fullName);
      await expect(
        fx.ci.upsertSecret(repo.id, { name: 'contract_secret', value: 'x', events: [] }),
      ).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await fx.ci.deactivate(repo.id);
    });

    it('repairs the hook and lists pipelines of an active repository', async () => {
      const forge = await fx.forgeRepo();
      const repo = await fx.ci.activate(forge.id, forge.fullName);
      await expect(fx.ci.repairHook(repo.id)).resolves.toBeUndefined();
      expect(Array.isArray(await fx.ci.listPipelines(repo.id, { perPage: 5 }))).toBe(true);
      await fx.ci.deactivate(repo.id);
    });

    it('deactivates: the repository is gone, a second deactivate is NOT_FOUND', async () => {
      const forge = await fx.forgeRepo();
      const repo = await fx.ci.activate(forge.id, forge.fullName);
      await fx.ci.deactivate(repo.id);
      expect(await fx.ci.lookup(forge.fullName)).toBeUndefined();
      const error = await fx.ci.deactivate(repo.id).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe('NOT_FOUND');
    });

    it('reports NOT_FOUND for secrets and pipelines of an unknown repository id', async () => {
      await expect(fx.ci.upsertSecret(987654, { name: 'x', value: 'y', events: ['push'] })).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      await expect(fx.ci.listPipelines(987654)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(fx.ci.getPipeline(987654, 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(fx.ci.runPipeline(987654, 'main')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('runs a manual pipeline for the branch head, reads it back with its steps, restarts it as a new number', async () => {
      const forge = await fx.forgeRepo();
      const repo = await fx.ci.activate(forge.id, forge.fullName);
      const run = await fx.ci.runPipeline(repo.id, 'main');
      // Undefined is Woodpecker's 204: the repository's config admits no manual run.
      if (run) {
        expect(run).toMatchObject({ event: 'manual', branch: 'main' });
        expect(run.commit).toMatch(/^[0-9a-f]{40}$/);
        expect(run.number).toBeGreaterThan(0);
        const detail = await fx.ci.getPipeline(repo.id, run.number);
        expect(detail).toMatchObject({ number: run.number, commit: run.commit, event: 'manual' });
        expect(Array.isArray(detail.steps)).toBe(true);
        expect((await fx.ci.listPipelines(repo.id))[0]?.number).toBe(run.number);
        const again = await fx.ci.restartPipeline(repo.id, run.number);
        expect(again.number).toBeGreaterThan(run.number);
        expect(again).toMatchObject({ commit: run.commit, event: 'manual', branch: 'main' });
      }
      await fx.ci.deactivate(repo.id);
    });

    it('reports NOT_FOUND for an unknown pipeline number, restart and step log included', async () => {
      const forge = await fx.forgeRepo();
      const repo = await fx.ci.activate(forge.id, forge.fullName);
      await expect(fx.ci.getPipeline(repo.id, 987654)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(fx.ci.restartPipeline(repo.id, 987654)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(fx.ci.readStepLog(repo.id, 987654, 1)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      // Woodpecker answers a bare 500 when the forge has no such branch
      // (CreatePipeline: "could not fetch branch head").
      await expect(fx.ci.runPipeline(repo.id, 'no-such-branch')).rejects.toMatchObject({
        code: 'UPSTREAM_UNAVAILABLE',
      });
      await fx.ci.deactivate(repo.id);
    });

    it('refuses a build number that is not a positive integer before calling out', async () => {
      await expect(fx.ci.getPipeline(1, 0)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
      await expect(fx.ci.readStepLog(1, 1, -1)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    });
  });
}
