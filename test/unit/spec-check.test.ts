/**
 * The shared strict spec check can fail: each rule it adds to plain schema validation is shown
 * catching a bad exchange (and passing the good one next to it). The spec-based cases need
 * THREESIX_SPECS_DIR and skip visibly without it; the registry's rules are in code and always run.
 */
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/sandbox/exchange.js';
import { createSpecCheck, type SpecBackend } from '../support/spec-check.js';
import { SPECS_PRESENT } from '../support/specs.js';

function check(
  backend: SpecBackend,
  exchange: Partial<Exchange> & Pick<Exchange, 'method' | 'path' | 'status'>,
): string[] {
  const spec = createSpecCheck(backend, { register: false });
  spec.observe({ query: '', ...exchange });
  return spec.takeViolations();
}

const deployment = (container: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'projects' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'r/web@sha256:' + 'a'.repeat(64), ...container }] },
    },
  },
});
const apply = (body: unknown, query = '?fieldManager=threesix&force=true') => ({
  method: 'PATCH',
  path: '/apis/apps/v1/namespaces/projects/deployments/web',
  query,
  status: 200,
  requestContentType: 'application/apply-patch+yaml',
  requestBody: body,
  responseBody: body,
});

describe.skipIf(!SPECS_PRESENT)('strict spec check (specs present)', () => {
  it('closes request schemas: a misspelt field in an applied Deployment fails', () => {
    expect(check('kubernetes', apply(deployment({ imagePullPolicy: 'IfNotPresent' })))).toEqual([]);
    const violations = check('kubernetes', apply(deployment({ imagePulPolicy: 'IfNotPresent' })));
    expect(violations.join('\n')).toContain('/spec/template/spec/containers/0/imagePulPolicy');
  });

  it('closes request bodies the spec types directly (Gitea CreateRepoOption)', () => {
    const create = (body: unknown) => ({
      method: 'POST',
      path: '/api/v1/orgs/threesix/repos',
      status: 201,
      requestContentType: 'application/json',
      requestBody: body,
    });
    expect(check('gitea', create({ name: 'web', auto_init: true }))).toEqual([]);
    expect(check('gitea', create({ name: 'web', autoinit: true })).join('\n')).toContain(
      'fields not in the spec: /autoinit',
    );
  });

  it('refuses query parameters the operation does not list', () => {
    expect(
      check('kubernetes', apply(deployment({}), '?fieldManager=threesix&force=true&fieldManagr=x')).join('\n'),
    ).toContain('query parameters not in the spec: fieldManagr');
    expect(
      check('gitea', {
        method: 'GET',
        path: '/api/v1/orgs/threesix/repos',
        query: '?page=1&limit=50',
        status: 200,
        responseBody: [],
      }),
    ).toEqual([]);
    expect(
      check('gitea', {
        method: 'GET',
        path: '/api/v1/orgs/threesix/repos',
        query: '?per_page=50',
        status: 200,
        responseBody: [],
      }),
    ).toHaveLength(1);
  });

  it('refuses statuses the operation does not list, except by the stated rules', () => {
    const status = {
      apiVersion: 'v1',
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message: 'conflict',
    };
    expect(check('kubernetes', { ...apply(deployment({})), status: 409, responseBody: status })).toEqual([]);
    expect(
      check('kubernetes', { ...apply(deployment({})), status: 409, responseBody: { message: 'conflict' } }).length,
    ).toBeGreaterThan(0);
    expect(
      check('kubernetes', { ...apply(deployment({})), status: 204, responseBody: undefined }).join('\n'),
    ).toContain('status 204 is not listed');
    const version = { method: 'GET', path: '/api/v1/version', responseBody: { version: '1.25.3' } };
    expect(check('gitea', { ...version, status: 200 })).toEqual([]);
    expect(
      check('gitea', { ...version, status: 401, responseBody: { message: 'token is required', url: 'x' } }),
    ).toEqual([]);
    expect(
      check('gitea', { ...version, status: 418, responseBody: { message: 'teapot', url: 'x' } }).join('\n'),
    ).toContain('[status]');
    expect(check('woodpecker', { method: 'GET', path: '/api/repos/1', status: 404, responseBody: undefined })).toEqual(
      [],
    );
    expect(
      check('woodpecker', {
        method: 'GET',
        path: '/api/repos/1',
        status: 404,
        responseBody: { error: 'not found' },
      }).join('\n'),
    ).toContain('plain text');
  });

  it('refuses Kubernetes API groups no supplied spec covers, except the two documented ones', () => {
    expect(
      check('kubernetes', {
        method: 'GET',
        path: '/apis/batch/v1/namespaces/projects/jobs',
        status: 200,
        responseBody: { items: [] },
      }).join('\n'),
    ).toContain('no spec check for this API group');
    expect(
      check('kubernetes', {
        method: 'GET',
        path: '/apis/metrics.k8s.io/v1beta1/namespaces/projects/pods',
        status: 200,
        responseBody: { items: [] },
      }),
    ).toEqual([]);
  });

  it('refuses a route the spec does not have, and one outside the API base path', () => {
    expect(
      check('cloudflare', { method: 'GET', path: '/client/v4/zones/abc/dns_recrods', status: 200 }).join('\n'),
    ).toContain('no such operation');
    expect(check('cloudflare', { method: 'GET', path: '/zones/abc/dns_records', status: 200 }).join('\n')).toContain(
      "outside the API's base path /client/v4",
    );
    // Woodpecker's /version lives at the root (router.go), where the swagger's basePath does not put it.
    expect(
      check('woodpecker', {
        method: 'GET',
        path: '/version',
        status: 200,
        responseBody: { source: 's', version: '3.17.0' },
      }),
    ).toEqual([]);
  });
});

describe('strict spec check: registry (OCI distribution-spec rules, no spec file needed)', () => {
  const digest = 'sha256:' + 'b'.repeat(64);
  it('accepts the endpoints with their listed statuses and error bodies', () => {
    expect(check('registry', { method: 'GET', path: '/v2/', status: 200, responseBody: {} })).toEqual([]);
    expect(check('registry', { method: 'HEAD', path: `/v2/threesix/web/manifests/${digest}`, status: 200 })).toEqual(
      [],
    );
    expect(
      check('registry', {
        method: 'GET',
        path: '/v2/threesix/web/manifests/v9',
        status: 404,
        responseBody: { errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] },
      }),
    ).toEqual([]);
    expect(
      check('registry', {
        method: 'POST',
        path: '/v2/threesix/web/blobs/uploads/',
        query: `?digest=${digest}`,
        status: 201,
      }),
    ).toEqual([]);
  });

  it('refuses unknown routes, unlisted statuses, unknown query parameters and malformed errors', () => {
    expect(check('registry', { method: 'GET', path: '/v2/Threesix/web/tags/list', status: 200 }).join('\n')).toContain(
      'no OCI distribution endpoint',
    );
    expect(
      check('registry', { method: 'PUT', path: '/v2/threesix/web/manifests/v1', status: 200 }).join('\n'),
    ).toContain('[status]');
    expect(
      check('registry', { method: 'GET', path: '/v2/threesix/web/tags/list', query: '?limit=5', status: 200 }).join(
        '\n',
      ),
    ).toContain('limit');
    expect(
      check('registry', {
        method: 'GET',
        path: '/v2/threesix/web/manifests/v9',
        status: 404,
        responseBody: { errors: [{ code: 'NOT_THERE', message: 'x' }] },
      }).join('\n'),
    ).toContain('[response]');
  });
});
