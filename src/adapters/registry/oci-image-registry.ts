/**
 * @module adapters/registry/oci-image-registry
 * The ImageRegistry port over the OCI distribution API with plain fetch (no vendor SDK exists or
 * is needed). Tags and digests resolve through HEAD and Docker-Content-Digest, falling back to
 * hashing the manifest for registries that omit the header.
 */
import { createHash } from 'node:crypto';
import { DomainError, notFound, permissionDenied, upstreamUnavailable } from '../../domain/errors.js';
import { registryHost } from '../../domain/image-ref.js';
import type { ImageRegistry } from '../../ports/image-registry.port.js';

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');
const TIMEOUT_MS = 10_000;

export interface OciRegistryOptions {
  /** REGISTRY_URL; without a scheme https is assumed. */
  url: string;
  username?: string;
  password?: string;
}

export class OciImageRegistry implements ImageRegistry {
  readonly host: string;
  private readonly base: string;
  private readonly auth: string | undefined;

  constructor(options: OciRegistryOptions) {
    this.host = registryHost(options.url);
    this.base = /^https?:\/\//i.test(options.url) ? options.url.replace(/\/+$/, '') : `https://${this.host}`;
    this.auth =
      options.username && options.password
        ? `Basic ${Buffer.from(`${options.username}:${options.password}`).toString('base64')}`
        : undefined;
  }

  async probe(): Promise<void> {
    const response = await this.request('GET', '/v2/');
    this.check(response, 'the registry API root');
  }

  async resolve(repository: string, reference: string): Promise<{ digest: string }> {
    // HEAD /v2/<name>/manifests/<reference> takes a tag or a digest alike (OCI distribution spec,
    // "Checking if content exists in the registry"); a digest is sent as is, ':' included.
    const byDigest = reference.startsWith('sha256:');
    const what = byDigest ? `${repository}@${reference}` : `${repository}:${reference}`;
    const path = `/v2/${repository}/manifests/${byDigest ? reference : encodeURIComponent(reference)}`;
    const head = await this.request('HEAD', path);
    this.check(head, what);
    const digest = head.headers.get('docker-content-digest');
    if (digest && /^sha256:[a-f0-9]{64}$/.test(digest)) return { digest };
    const get = await this.request('GET', path);
    this.check(get, what);
    const body = Buffer.from(await get.arrayBuffer());
    return { digest: `sha256:${createHash('sha256').update(body).digest('hex')}` };
  }

  private async request(method: string, path: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: ACCEPT };
    if (this.auth) headers.Authorization = this.auth;
    try {
      return await fetch(`${this.base}${path}`, { method, headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (error) {
      throw upstreamUnavailable('the image registry', { cause: error });
    }
  }

  private check(response: Response, what: string): void {
    // The API answers JSON (/v2/) or a manifest type; a web page at 2xx (a UI, a proxy, a wrong
    // sub-path) would otherwise pass the probe and be hashed as if it were the manifest.
    if (response.ok && /^text\/html\b/i.test(response.headers.get('content-type') ?? '')) {
      void response.body?.cancel().catch(() => undefined);
      throw new DomainError(
        'NOT_CONFIGURED',
        `the registry ${this.host} answered an HTML page for ${what} instead of the distribution API (likely a wrong REGISTRY_URL or sub-path)`,
        {
          hint: "Check REGISTRY_URL: the registry's host[:port] (or its http(s) root URL), serving /v2/",
        },
      );
    }
    if (response.ok) return;
    void response.body?.cancel().catch(() => undefined);
    if (response.status === 404)
      throw notFound(
        `${what} is not in the registry ${this.host}`,
        'Check the image name and tag, or wait for CI to push it',
      );
    if (response.status === 401 || response.status === 403) {
      throw permissionDenied(
        `the registry ${this.host} refused access to ${what}`,
        'Set REGISTRY_USERNAME and REGISTRY_PASSWORD for an account that can pull',
      );
    }
    const retry = Number(response.headers.get('retry-after'));
    throw upstreamUnavailable('the image registry', {
      retryAfterMs: retry > 0 ? retry * 1000 : undefined,
      message: `the registry answered ${response.status} for ${what}`,
    });
  }
}
