/**
 * @module sandbox/registry/registry-app
 * A minimal OCI distribution registry in memory: `/v2/`, monolithic blob uploads, and manifests
 * by tag or digest with Docker-Content-Digest, enough for CI pushes and digest resolution.
 * It answers manifest pushes as Zot, the registry the manifests deploy, does: OCI manifests and
 * indexes only, unless started with Zot's `compat: ['docker2s2']` (see ZOT_MANIFEST_MEDIA_TYPES).
 */
import { createHash, randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';

const NAME = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*';
const MANIFEST = new RegExp(`^/v2/(${NAME})/manifests/([^/]+)$`);
const BLOB = new RegExp(`^/v2/(${NAME})/blobs/(sha256:[a-f0-9]{64})$`);
const UPLOADS = new RegExp(`^/v2/(${NAME})/blobs/uploads/([a-f0-9-]*)$`);

export interface RegistryState {
  blobs: Map<string, Buffer>;
  /** `name@digest` → manifest bytes and media type. */
  manifests: Map<string, { body: Buffer; type: string }>;
  /** `name:tag` → digest. */
  tags: Map<string, string>;
}

/** Zot's `http.compat` values; `docker2s2` is the only one Zot defines (project-zot/zot pkg/compat/compat.go). */
export type RegistryCompat = 'docker2s2';

export interface RegistryOptions {
  state?: RegistryState;
  /** As Zot's `http.compat`: without `docker2s2`, Docker schema 2 manifests and lists are refused. */
  compat?: readonly RegistryCompat[];
}

/**
 * The manifest media types Zot stores: OCI always, Docker schema 2 (manifest and manifest list)
 * only with compat docker2s2. Modelled on project-zot/zot v2.1.20 pkg/storage/common/common.go
 * IsSupportedMediaType, called by pkg/api/routes.go UpdateManifest before reading the body.
 */
const OCI_MANIFEST_TYPES = ['application/vnd.oci.image.manifest.v1+json', 'application/vnd.oci.image.index.v1+json'];
const DOCKER2S2_MANIFEST_TYPES = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];
export const ZOT_MANIFEST_MEDIA_TYPES = (compat: readonly RegistryCompat[] = []) => [
  ...OCI_MANIFEST_TYPES,
  ...(compat.includes('docker2s2') ? DOCKER2S2_MANIFEST_TYPES : []),
];

const sha256 = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;
/** The distribution spec's error body, with Zot's `detail` object when there is one (zot pkg/api/errors/errors.go). */
const error = (c: Context, status: 400 | 404 | 415, code: string, message: string, detail?: Record<string, string>) =>
  c.json({ errors: [{ code, message, ...(detail ? { detail } : {}) }] }, status);

export function createRegistryApp(options: RegistryOptions = {}): Hono {
  const state: RegistryState = options.state ?? { blobs: new Map(), manifests: new Map(), tags: new Map() };
  const acceptedManifestTypes = ZOT_MANIFEST_MEDIA_TYPES(options.compat);
  const app = new Hono();
  app.get('/v2/', (c) => c.json({}));
  app.all('*', async (c) => {
    const path = c.req.path;
    const method = c.req.method;
    let m = MANIFEST.exec(path);
    if (m) {
      const [, name, reference] = m as unknown as [string, string, string];
      if (method === 'PUT') {
        // Zot checks the Content-Type first and stores nothing on refusal: 415 MANIFEST_INVALID
        // with the media type as detail (an absent Content-Type is refused the same way).
        const type = c.req.header('content-type') ?? '';
        if (!acceptedManifestTypes.includes(type))
          return error(c, 415, 'MANIFEST_INVALID', 'manifest invalid', { mediaType: type });
        const body = Buffer.from(await c.req.arrayBuffer());
        const digest = sha256(body);
        if (reference.startsWith('sha256:') && reference !== digest)
          return error(c, 400, 'DIGEST_INVALID', 'provided digest did not match uploaded content');
        state.manifests.set(`${name}@${digest}`, { body, type });
        if (!reference.startsWith('sha256:')) state.tags.set(`${name}:${reference}`, digest);
        return c.body(null, 201, { Location: `/v2/${name}/manifests/${digest}`, 'Docker-Content-Digest': digest });
      }
      if (method === 'GET' || method === 'HEAD') {
        const digest = reference.startsWith('sha256:') ? reference : state.tags.get(`${name}:${reference}`);
        const manifest = digest ? state.manifests.get(`${name}@${digest}`) : undefined;
        if (!digest || !manifest) return error(c, 404, 'MANIFEST_UNKNOWN', 'manifest unknown');
        const headers = {
          'Content-Type': manifest.type,
          'Docker-Content-Digest': digest,
          'Content-Length': String(manifest.body.length),
        };
        return method === 'HEAD' ? c.body(null, 200, headers) : c.body(new Uint8Array(manifest.body), 200, headers);
      }
      if (method === 'DELETE' && reference.startsWith('sha256:')) {
        state.manifests.delete(`${name}@${reference}`);
        for (const [key, value] of state.tags)
          if (value === reference && key.startsWith(`${name}:`)) state.tags.delete(key);
        return c.body(null, 202);
      }
    }
    m = BLOB.exec(path);
    if (m && (method === 'GET' || method === 'HEAD')) {
      const blob = state.blobs.get(m[2]!);
      if (!blob) return error(c, 404, 'BLOB_UNKNOWN', 'blob unknown to registry');
      const headers = {
        'Docker-Content-Digest': m[2]!,
        'Content-Length': String(blob.length),
        'Content-Type': 'application/octet-stream',
      };
      return method === 'HEAD' ? c.body(null, 200, headers) : c.body(new Uint8Array(blob), 200, headers);
    }
    m = UPLOADS.exec(path);
    if (m) {
      const [, name, id] = m as unknown as [string, string, string];
      if (method === 'POST' && !id) {
        const uuid = randomUUID();
        return c.body(null, 202, {
          Location: `/v2/${name}/blobs/uploads/${uuid}`,
          'Docker-Upload-UUID': uuid,
          Range: '0-0',
        });
      }
      if (method === 'PUT' && id) {
        const expected = c.req.query('digest') ?? '';
        const body = Buffer.from(await c.req.arrayBuffer());
        if (sha256(body) !== expected)
          return error(c, 400, 'DIGEST_INVALID', 'provided digest did not match uploaded content');
        state.blobs.set(expected, body);
        return c.body(null, 201, { Location: `/v2/${name}/blobs/${expected}`, 'Docker-Content-Digest': expected });
      }
    }
    return error(c, 404, 'NAME_UNKNOWN', 'repository name not known to registry');
  });
  return app;
}
