/**
 * The registry stand-in's answer to manifest pushes by media type, as Zot's (the registry that
 * deployments/k8s runs): refused without compat, stored with compat docker2s2, and the --sandbox
 * registry started with compat like the manifests' Zot.
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { OciImageRegistry } from '../../src/adapters/registry/oci-image-registry.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { createRegistryApp } from '../../src/sandbox/registry/registry-app.js';
import { registryStandIn } from '../../src/sandbox/registry/registry-stand-in.js';
import { withExchangeObserver } from '../../src/sandbox/serve-stand-in.js';
import type { SandboxContext } from '../../src/sandbox/stand-in.js';
import { startCheckedRegistry, type CheckedRegistry } from '../support/registry-stand-in.js';
import { createSpecCheck } from '../support/spec-check.js';
/**
 * What Zot answers to a manifest push, by media type (project-zot/zot v2.1.20
 * pkg/api/routes.go UpdateManifest → pkg/storage/common/common.go IsSupportedMediaType): OCI
 * always; Docker schema 2 only with `http.compat: ["docker2s2"]`, otherwise 415 MANIFEST_INVALID
 * and nothing stored. kaniko pushes a Docker-format manifest whenever the base image is one.
 */
describe("registry stand-in: Zot's manifest media types", () => {
  const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
  const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
  const digestOf = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

  async function putBlob(base: string, name: string, body: Buffer): Promise<string> {
    const start = await fetch(`${base}/v2/${name}/blobs/uploads/`, { method: 'POST' });
    const location = new URL(start.headers.get('location')!, base);
    location.searchParams.set('digest', digestOf(body));
    expect((await fetch(location, { method: 'PUT', body: new Uint8Array(body) })).status).toBe(201);
    return digestOf(body);
  }

  /** A Docker schema 2 image as kaniko pushes it from a Docker-format base: Docker config and layer media types. */
  async function putDockerManifest(
    base: string,
    name: string,
    tag: string,
    type = DOCKER_MANIFEST,
  ): Promise<{ response: Response; digest: string }> {
    const config = Buffer.from(
      JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} }),
    );
    const layer = Buffer.from(`${name}:${tag}`);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: type,
        config: {
          mediaType: 'application/vnd.docker.container.image.v1+json',
          digest: await putBlob(base, name, config),
          size: config.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
            digest: await putBlob(base, name, layer),
            size: layer.length,
          },
        ],
      }),
    );
    const response = await fetch(`${base}/v2/${name}/manifests/${tag}`, {
      method: 'PUT',
      headers: type ? { 'Content-Type': type } : {},
      body: new Uint8Array(manifest),
    });
    return { response, digest: digestOf(manifest) };
  }

  const served: CheckedRegistry[] = [];
  afterAll(async () => {
    await Promise.all(served.map((s) => s.close()));
    expect(served.flatMap((s) => s.spec.takeViolations())).toEqual([]);
  });
  const serve = async (options: Parameters<typeof createRegistryApp>[0]) => {
    const s = await startCheckedRegistry(options);
    served.push(s);
    return s.url;
  };

  it('without compat (Zot default) refuses Docker schema 2 manifests and lists with 415 MANIFEST_INVALID, storing nothing', async () => {
    const url = await serve({});
    for (const type of [DOCKER_MANIFEST, DOCKER_LIST]) {
      const { response } = await putDockerManifest(url, 'threesix/docker', 'v1', type);
      expect(response.status).toBe(415);
      expect(await response.json()).toEqual({
        errors: [{ code: 'MANIFEST_INVALID', message: 'manifest invalid', detail: { mediaType: type } }],
      });
    }
    await expect(new OciImageRegistry({ url }).resolve('threesix/docker', 'v1')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    // A push without Content-Type is refused the same way; OCI images still go through.
    const untyped = await fetch(`${url}/v2/threesix/docker/manifests/v2`, {
      method: 'PUT',
      body: new Uint8Array(Buffer.from('{}')),
    });
    expect(untyped.status).toBe(415);
    expect(await untyped.json()).toMatchObject({ errors: [{ code: 'MANIFEST_INVALID', detail: { mediaType: '' } }] });
    const oci = await pushImage(url, 'threesix/oci', 'v1');
    expect(await new OciImageRegistry({ url }).resolve('threesix/oci', 'v1')).toEqual({ digest: oci });
  });

  it('with compat docker2s2 stores them, serves them with their media type, and the adapter resolves their digest', async () => {
    const url = await serve({ compat: ['docker2s2'] });
    const { response, digest } = await putDockerManifest(url, 'threesix/docker', 'v1');
    expect(response.status).toBe(201);
    expect(response.headers.get('docker-content-digest')).toBe(digest);
    const get = await fetch(`${url}/v2/threesix/docker/manifests/v1`, { headers: { Accept: DOCKER_MANIFEST } });
    expect(get.headers.get('content-type')).toBe(DOCKER_MANIFEST);
    expect(await new OciImageRegistry({ url }).resolve('threesix/docker', 'v1')).toEqual({ digest });
  });

  it('the --sandbox registry starts with compat docker2s2, like the Zot of deployments/k8s', async () => {
    const spec = createSpecCheck('registry');
    const running = await withExchangeObserver(spec.observe, () =>
      registryStandIn.start({ latencyMs: 0, started: new Map() } as unknown as SandboxContext),
    );
    try {
      const { response } = await putDockerManifest(running.env.REGISTRY_URL!, 'threesix/sandbox', 'v1');
      expect(response.status).toBe(201);
    } finally {
      await running.stop();
    }
    expect(spec.observed()).toBeGreaterThan(0);
    expect(spec.takeViolations()).toEqual([]);
  });
});
