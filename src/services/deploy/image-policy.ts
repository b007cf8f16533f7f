/**
 * @module services/deploy/image-policy
 * Turns the image an agent or CI names into a pinned `registry/path@sha256:...` that is known to
 * exist: the image must be in our registry (REGISTRY_URL, the only one threesix can ask), in the
 * project's own repository `<org>/<project>` unless the operator allows more patterns
 * (THREESIX_ALLOWED_IMAGES), and its tag or digest must resolve there (HEAD
 * /v2/<name>/manifests/<reference>, the OCI distribution spec), so nothing is applied that the
 * cluster cannot pull or that another project built.
 */
import { invalidInput, notConfigured, notFound } from '../../domain/errors.js';
import { parseImageRef, registryHost, type ImageRef } from '../../domain/image-ref.js';
import type { AppContext } from '../shared/app-context.js';

export interface PinnedImage {
  ref: ImageRef;
  /** `registry/path@sha256:...` */
  pinned: string;
  digest: string;
}

/** `registry/org/project`: the repository the project's CI pushes to. */
export function ownRepository(app: AppContext, project: string): string {
  return `${registryHost(app.config.REGISTRY_URL ?? '')}/${app.config.GITEA_DEFAULT_ORG.toLowerCase()}/${project}`;
}

/** A glob over `registry/path`: `*` matches within one path segment, `**` across segments. */
export function matchesImagePattern(name: string, pattern: string): boolean {
  const source = pattern
    .toLowerCase()
    .split('**')
    .map((part) =>
      part
        .split('*')
        .map((text) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*'),
    )
    .join('.*');
  return new RegExp(`^${source}$`).test(name);
}

/** Synchronous checks only: nothing leaves the process before they pass. */
export function checkImage(app: AppContext, project: string, image: string): ImageRef {
  const ref = parseImageRef(image);
  if (!app.config.REGISTRY_URL) throw notConfigured('registry', ['REGISTRY_URL']);
  const registry = registryHost(app.config.REGISTRY_URL);
  const own = ownRepository(app, project);
  if (ref.registry !== registry) {
    throw invalidInput(
      `images from ${ref.registry} are not allowed`,
      `Push the image to ${own} (threesix can verify images only in its registry, REGISTRY_URL)`,
    );
  }
  const name = `${ref.registry}/${ref.repository}`;
  if (name !== own && !app.config.THREESIX_ALLOWED_IMAGES.some((pattern) => matchesImagePattern(name, pattern))) {
    throw invalidInput(
      `image repository ${name} is not project "${project}"'s own (${own})`,
      `Deploy an image built for this project (${own}:<tag>); the operator can allow others in THREESIX_ALLOWED_IMAGES`,
    );
  }
  return ref;
}

/** Resolves the tag, or confirms the digest, in our registry; NOT_FOUND when the registry does not hold it. */
export async function pinImage(app: AppContext, ref: ImageRef): Promise<PinnedImage> {
  const base = `${ref.registry}/${ref.repository}`;
  const registry = await app.backends.registry.get();
  // A digest wins over a tag given with it (`repo:tag@sha256:…`), as it does for the container runtime.
  const reference = ref.digest ?? ref.tag ?? 'latest';
  const { digest } = await registry.resolve(ref.repository, reference);
  if (ref.digest && digest !== ref.digest) {
    throw notFound(
      `${base}@${ref.digest} is not in the registry ${registry.host}`,
      'Check the digest (list_releases shows the ones deployed before)',
    );
  }
  return { ref, pinned: `${base}@${digest}`, digest };
}
