/**
 * @module services/image-policy
 * Turns the image an agent or CI names into a pinned `registry/path@sha256:...`: the registry must
 * be allowed (THREESIX_ALLOWED_REGISTRIES, default REGISTRY_URL), and a tag is resolved to its
 * digest through our registry so the cluster runs exactly what was checked.
 */
import { invalidInput, notConfigured } from '../domain/errors.js';
import { parseImageRef, registryHost, type ImageRef } from '../domain/image-ref.js';
import type { AppContext } from './app-context.js';

export interface PinnedImage {
  ref: ImageRef;
  /** `registry/path@sha256:...` */
  pinned: string;
  digest: string;
}

export function allowedRegistries(app: AppContext): string[] {
  const listed = app.config.THREESIX_ALLOWED_REGISTRIES.map(registryHost);
  if (listed.length) return listed;
  return app.config.REGISTRY_URL ? [registryHost(app.config.REGISTRY_URL)] : [];
}

/** Synchronous checks only: nothing leaves the process before they pass. */
export function checkImage(app: AppContext, image: string): ImageRef {
  const ref = parseImageRef(image);
  const allowed = allowedRegistries(app);
  if (allowed.length === 0) throw notConfigured('registry', ['REGISTRY_URL', 'or THREESIX_ALLOWED_REGISTRIES']);
  if (!allowed.includes(ref.registry)) {
    throw invalidInput(`images from ${ref.registry} are not allowed`, `Push the image to ${allowed.join(' or ')} (the operator lists registries in THREESIX_ALLOWED_REGISTRIES)`);
  }
  return ref;
}

export async function pinImage(app: AppContext, ref: ImageRef): Promise<PinnedImage> {
  const base = `${ref.registry}/${ref.repository}`;
  if (ref.digest) return { ref, pinned: `${base}@${ref.digest}`, digest: ref.digest };
  const registry = await app.backends.registry.get();
  if (registryHost(registry.host) !== ref.registry) {
    throw invalidInput(`threesix can only resolve tags in ${registry.host}`, `Name the image by digest: ${base}@sha256:<digest>`);
  }
  const { digest } = await registry.resolve(ref.repository, ref.tag ?? 'latest');
  return { ref, pinned: `${base}@${digest}`, digest };
}
