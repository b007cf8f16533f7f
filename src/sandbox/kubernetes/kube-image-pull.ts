/**
 * @module sandbox/kubernetes/kube-image-pull
 * The node's image store and what a container status says about the image, as kubelet and
 * containerd report it (k3s runs containerd):
 * - kubelet pulls, then hands the runtime the image ID, not the pod's reference
 *   (kubernetes/kubernetes pkg/kubelet/images/image_manager.go `EnsureImageExists` returns the
 *   imageRef; pkg/kubelet/kuberuntime/kuberuntime_container.go puts it into ContainerConfig.Image);
 * - containerd answers ContainerStatus with `image` = the image's first repo tag, or the ID it was
 *   given (`sha256:<config digest>`) when the image has no tag, as after a pull by digest, and
 *   `imageRef` = the first repo digest, `repo@sha256:<manifest digest>` (containerd/containerd
 *   internal/cri/server/container_status.go @ 301026e58c619e63d09c0ec411012e54c0124b03);
 * - kubelet copies those into `status.containerStatuses[].image` / `.imageID`
 *   (pkg/kubelet/kuberuntime/kuberuntime_container.go `toKubeContainerStatus`,
 *   pkg/kubelet/kubelet_pods.go `convertToAPIContainerStatuses`).
 * So the status string is never the pinned `registry/repo@sha256:…` the pod spec names.
 */
import { createHash } from 'node:crypto';
import { isRecord, type Json } from './kube-objects.js';

export interface PulledImage {
  /** What containerd reports as the container's image: first tag, else `sha256:<config digest>`. */
  image: string;
  /** `repo@sha256:<manifest digest>`. */
  imageID: string;
}

interface StoredImage {
  /** Image references in pull order, as containerd's image store keeps them (tags and digests). */
  references: string[];
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

const sha256 = (text: string | Buffer) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

/** `host/repo@sha256:…` or `host/repo:tag` (default `latest`) → repository and reference. */
export function parseReference(image: string): { repository: string; tag: string | null; digest: string | null } {
  const at = image.indexOf('@');
  if (at >= 0) return { repository: image.slice(0, at), tag: null, digest: image.slice(at + 1) };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash
    ? { repository: image.slice(0, colon), tag: image.slice(colon + 1), digest: null }
    : { repository: image, tag: 'latest', digest: null };
}

export class NodeImageStore {
  /** Keyed by image ID (config digest), as containerd's CRI image store is. */
  private readonly images = new Map<string, StoredImage>();

  constructor(private readonly registryUrl: string | undefined) {}

  /**
   * Pulls the image: undefined when the registry does not have it (or it is on another host, which
   * the sandbox cannot reach), otherwise what a container of it will report.
   */
  async pull(image: string): Promise<PulledImage | undefined> {
    const ref = parseReference(image);
    const resolved = await this.resolve(image, ref);
    if (!resolved) return undefined;
    const pinned = `${ref.repository}@${resolved.manifestDigest}`;
    const stored = this.images.get(resolved.configDigest) ?? { references: [] };
    for (const reference of [ref.tag ? `${ref.repository}:${ref.tag}` : null, pinned]) {
      if (reference && !stored.references.includes(reference)) stored.references.push(reference);
    }
    this.images.set(resolved.configDigest, stored);
    // util.ParseImageReferences: tags are `name:tag` references, digests `name@sha256:…`.
    const tags = stored.references.filter((r) => !r.includes('@'));
    const digests = stored.references.filter((r) => r.includes('@'));
    return { image: tags[0] ?? resolved.configDigest, imageID: digests[0] ?? pinned };
  }

  private async resolve(
    image: string,
    ref: ReturnType<typeof parseReference>,
  ): Promise<{ manifestDigest: string; configDigest: string } | undefined> {
    const base = this.registryUrl?.replace(/\/+$/, '');
    if (!base) {
      // No registry to ask: every image "pulls", with digests derived from the reference so that
      // the same image always gets the same ID (and never the pod spec's string).
      return { manifestDigest: ref.digest ?? sha256(`manifest:${image}`), configDigest: sha256(`config:${image}`) };
    }
    const host = base.replace(/^[a-z]+:\/\//i, '');
    if (!ref.repository.startsWith(`${host}/`)) return undefined;
    const name = ref.repository.slice(host.length + 1);
    const top = await this.manifest(base, name, ref.digest ?? ref.tag ?? 'latest');
    if (!top) return undefined;
    let manifest = top.body;
    if (Array.isArray(manifest.manifests)) {
      // An index: containerd unpacks the platform's manifest; the repo digest stays the index's.
      const entries: unknown[] = manifest.manifests;
      const platformOf = (m: unknown) => (isRecord(m) && isRecord(m.platform) ? m.platform : {});
      const entry =
        entries.find((m) => platformOf(m).os === 'linux' && platformOf(m).architecture === 'amd64') ?? entries[0];
      const digest = isRecord(entry) ? entry.digest : undefined;
      const platform = typeof digest === 'string' ? await this.manifest(base, name, digest) : undefined;
      if (!platform) return undefined;
      manifest = platform.body;
    }
    const configDigest = isRecord(manifest.config) ? manifest.config.digest : undefined;
    return typeof configDigest === 'string' ? { manifestDigest: top.digest, configDigest } : undefined;
  }

  private async manifest(
    base: string,
    name: string,
    reference: string,
  ): Promise<{ digest: string; body: Json } | undefined> {
    try {
      const response = await fetch(`${base}/v2/${name}/manifests/${reference}`, {
        headers: { Accept: MANIFEST_TYPES },
      });
      if (!response.ok) return undefined;
      const bytes = Buffer.from(await response.arrayBuffer());
      const body: unknown = JSON.parse(bytes.toString());
      if (!isRecord(body)) return undefined;
      return { digest: response.headers.get('docker-content-digest') ?? sha256(bytes), body };
    } catch {
      return undefined;
    }
  }
}
