/**
 * The ImageRegistry port's contract, for the memory fake, the stand-in and a real registry.
 */
import { describe, expect, it } from 'vitest';
import type { ImageRegistry } from '../../src/ports/image-registry.port.js';

export interface RegistryFixture {
  registry: ImageRegistry;
  /** Pushes `repository:tag` with distinct content and returns the manifest digest. */
  push(repository: string, tag: string, content: string): string | Promise<string>;
}

export function describeImageRegistryContract(label: string, setup: () => RegistryFixture | Promise<RegistryFixture>) {
  describe(`ImageRegistry contract: ${label}`, () => {
    it('is reachable and names its host', async () => {
      const { registry } = await setup();
      await expect(registry.probe()).resolves.toBeUndefined();
      expect(registry.host).toMatch(/^[a-z0-9.-]+(:\d+)?$/);
    });

    it('resolves a pushed tag to the digest of its manifest, and a re-tag to the new one', async () => {
      const fx = await setup();
      const first = await fx.push('threesix/contract', 'v1', 'one');
      expect(first).toMatch(/^sha256:[a-f0-9]{64}$/);
      expect(await fx.registry.resolve('threesix/contract', 'v1')).toEqual({ digest: first });
      const second = await fx.push('threesix/contract', 'v1', 'two');
      expect(second).not.toBe(first);
      expect(await fx.registry.resolve('threesix/contract', 'v1')).toEqual({ digest: second });
    });

    it('confirms a digest it holds in that repository, and answers NOT_FOUND for one it does not', async () => {
      const fx = await setup();
      const digest = await fx.push('threesix/by-digest', 'v1', 'by digest');
      expect(await fx.registry.resolve('threesix/by-digest', digest)).toEqual({ digest });
      await expect(fx.registry.resolve('threesix/by-digest', `sha256:${'0'.repeat(64)}`)).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      // A manifest is reachable only through the repository it was pushed to.
      await expect(fx.registry.resolve('threesix/other', digest)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('answers NOT_FOUND for an unknown tag or repository', async () => {
      const { registry } = await setup();
      await expect(registry.resolve('threesix/contract', 'nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(registry.resolve('threesix/never-pushed', 'v1')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });
  });
}
