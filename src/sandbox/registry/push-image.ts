/**
 * @module sandbox/registry/push-image
 * Pushes a tiny OCI image (config blob, one layer, manifest) through the distribution API. Used by
 * tests against the stand-in and the real docker-registry, and by the CI stand-in.
 */
import { createHash } from 'node:crypto';

const digestOf = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

async function pushBlob(base: string, name: string, body: Buffer): Promise<string> {
  const digest = digestOf(body);
  const start = await fetch(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`blob upload start answered ${start.status}`);
  const location = new URL(start.headers.get('location')!, base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: new Uint8Array(body),
  });
  if (put.status !== 201) throw new Error(`blob upload answered ${put.status}`);
  return digest;
}

/** Returns the manifest digest; `content` varies the layer so different tags get different digests. */
export async function pushImage(
  registryUrl: string,
  name: string,
  tag: string,
  content = `${name}:${tag}`,
): Promise<string> {
  const base = registryUrl.replace(/\/+$/, '');
  const layer = Buffer.from(content);
  // The config lists the layer's diff_id (the layer is uncompressed), so different layers make
  // different image IDs, as with real images: the Kubernetes stand-in keys its node's images by it.
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      rootfs: { type: 'layers', diff_ids: [digestOf(layer)] },
      config: {},
    }),
  );
  const configDigest = await pushBlob(base, name, config);
  const layerDigest = await pushBlob(base, name, layer);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: configDigest, size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: layerDigest, size: layer.length }],
    }),
  );
  const put = await fetch(`${base}/v2/${name}/manifests/${tag}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' },
    body: new Uint8Array(manifest),
  });
  if (put.status !== 201) throw new Error(`manifest push answered ${put.status}`);
  return digestOf(manifest);
}
