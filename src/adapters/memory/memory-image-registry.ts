/**
 * @module adapters/memory/memory-image-registry
 * A stateful in-memory registry for service tests: tests `push` tags, `resolve` answers like the
 * distribution API would, and a linked memory deployer asks `hasDigest` to decide image pulls.
 */
import { createHash } from 'node:crypto';
import { notFound } from '../../domain/errors.js';
import type { ImageRegistry } from '../../ports/image-registry.port.js';
import { settled } from './settled.js';

export class MemoryImageRegistry implements ImageRegistry {
  private readonly tags = new Map<string, string>();
  private readonly digests = new Set<string>();
  /** Manifests that resolve but do not pull (see pushUnpullable). */
  private readonly unpullable = new Set<string>();

  constructor(readonly host = 'registry.example.test:5000') {}

  async probe(): Promise<void> {}

  resolve(repository: string, reference: string): Promise<{ digest: string }> {
    return settled(() => {
      if (reference.startsWith('sha256:')) {
        const key = `${repository}@${reference}`;
        if (!this.digests.has(key) && !this.unpullable.has(key))
          throw notFound(`${repository}@${reference} is not in the registry`, 'Check the image name and digest');
        return { digest: reference };
      }
      const digest = this.tags.get(`${repository}:${reference}`);
      if (!digest)
        throw notFound(
          `tag ${repository}:${reference} is not in the registry`,
          'Check the image name and tag, or wait for CI to push it',
        );
      return { digest };
    });
  }

  /** Test helper: records a tag; the digest is derived from the content so repeats are stable. */
  push(repository: string, tag: string, content = `${repository}:${tag}`): string {
    const digest = `sha256:${createHash('sha256').update(content).digest('hex')}`;
    this.tags.set(`${repository}:${tag}`, digest);
    this.digests.add(`${repository}@${digest}`);
    return digest;
  }

  /**
   * Test helper: a tag whose manifest resolves but whose layers are gone (as after a registry
   * garbage collection), so the digest check passes and the cluster's pull fails.
   */
  pushUnpullable(repository: string, tag: string, content = `${repository}:${tag}:no-layers`): string {
    const digest = this.push(repository, tag, content);
    this.digests.delete(`${repository}@${digest}`);
    this.unpullable.add(`${repository}@${digest}`);
    return digest;
  }

  /** Test helper: drops a tag and its manifest, so deploys of it fail to pull. */
  remove(repository: string, tag: string): void {
    const digest = this.tags.get(`${repository}:${tag}`);
    this.tags.delete(`${repository}:${tag}`);
    if (digest) this.digests.delete(`${repository}@${digest}`);
  }

  /** Whether `host/repository@digest` (or `:tag`) would pull. */
  hasImage(image: string): boolean {
    if (!image.startsWith(`${this.host}/`)) return false;
    const rest = image.slice(this.host.length + 1);
    return rest.includes('@') ? this.digests.has(rest) : this.tags.has(rest);
  }
}
