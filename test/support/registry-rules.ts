/**
 * The registry has no OpenAPI spec in THREESIX_SPECS_DIR, so its stand-in's exchanges are held to
 * the rules the OCI distribution spec states (opencontainers/distribution-spec `spec.md`, v1.1, the
 * "Endpoints" table end-1 … end-13 and "Error Codes"):
 * - the route must be one of the endpoints, with its method;
 * - the status must be that endpoint's success or failure code, or 401/403/429, which the spec
 *   allows on every endpoint (authentication, access, rate limits);
 * - only the query parameters the endpoint names (digest, mount/from, n/last, tag, artifactType,
 *   digest-algorithm);
 * - a JSON error body must be `{"errors": [{"code", "message", "detail"?}]}` with a listed code.
 * `<name>` and `<reference>` follow the spec's grammar; a path that does not is no endpoint.
 * One addition from the registry the platform runs: Zot answers a manifest PUT of a media type it
 * does not store with 415 MANIFEST_INVALID (project-zot/zot v2.1.20 pkg/api/routes.go UpdateManifest,
 * pkg/storage/common/common.go IsSupportedMediaType), which the spec's table does not list.
 */
import type { Exchange } from '../../src/sandbox/exchange.js';
import type { SpecViolation } from './openapi.js';

const NAME = '[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*';
const REFERENCE = '(?:[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}|[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+)';
const DIGEST = '[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+';

interface Endpoint {
  id: string;
  methods: string[];
  path: RegExp;
  statuses: number[];
  query: string[];
}

const route = (pattern: string) => new RegExp(`^/v2/${pattern}$`);
const ENDPOINTS: Endpoint[] = [
  { id: 'end-1', methods: ['GET'], path: /^\/v2\/$/, statuses: [200, 404, 401], query: [] },
  { id: 'end-2', methods: ['GET', 'HEAD'], path: route(`${NAME}/blobs/${DIGEST}`), statuses: [200, 404], query: [] },
  {
    id: 'end-3',
    methods: ['GET', 'HEAD'],
    path: route(`${NAME}/manifests/${REFERENCE}`),
    statuses: [200, 404],
    query: [],
  },
  {
    id: 'end-4/11',
    methods: ['POST'],
    path: route(`${NAME}/blobs/uploads/`),
    statuses: [201, 202, 404, 400],
    query: ['digest', 'digest-algorithm', 'mount', 'from'],
  },
  {
    id: 'end-5/6/13',
    methods: ['PATCH', 'PUT', 'GET', 'DELETE'],
    path: route(`${NAME}/blobs/uploads/[^/]+`),
    statuses: [201, 202, 204, 400, 404, 416],
    query: ['digest'],
  },
  {
    id: 'end-7/9',
    methods: ['PUT', 'DELETE'],
    path: route(`${NAME}/manifests/${REFERENCE}`),
    statuses: [201, 202, 400, 404, 405, 413, 414, 415, 431],
    query: ['tag'],
  },
  { id: 'end-8', methods: ['GET'], path: route(`${NAME}/tags/list`), statuses: [200, 400, 404], query: ['n', 'last'] },
  {
    id: 'end-10',
    methods: ['DELETE'],
    path: route(`${NAME}/blobs/${DIGEST}`),
    statuses: [202, 400, 404, 405],
    query: [],
  },
  {
    id: 'end-12',
    methods: ['GET'],
    path: route(`${NAME}/referrers/${DIGEST}`),
    statuses: [200, 400],
    query: ['artifactType'],
  },
];
const ANY_ENDPOINT = [401, 403, 429];
const ERROR_CODES = [
  'BLOB_UNKNOWN',
  'BLOB_UPLOAD_INVALID',
  'BLOB_UPLOAD_UNKNOWN',
  'DIGEST_INVALID',
  'MANIFEST_BLOB_UNKNOWN',
  'MANIFEST_INVALID',
  'MANIFEST_UNKNOWN',
  'NAME_INVALID',
  'NAME_UNKNOWN',
  'SIZE_INVALID',
  'UNAUTHORIZED',
  'DENIED',
  'UNSUPPORTED',
  'TOOMANYREQUESTS',
];

export function checkRegistryExchange(exchange: Exchange): SpecViolation[] {
  const label = `${exchange.method} ${exchange.path} -> ${exchange.status}`;
  const endpoints = ENDPOINTS.filter((e) => e.path.test(exchange.path) && e.methods.includes(exchange.method));
  if (endpoints.length === 0)
    return [{ exchange: label, where: 'route', errors: 'no OCI distribution endpoint has this method and path' }];
  const out: SpecViolation[] = [];
  if (!endpoints.some((e) => e.statuses.includes(exchange.status)) && !ANY_ENDPOINT.includes(exchange.status)) {
    out.push({
      exchange: label,
      where: 'status',
      errors: `status ${exchange.status} is not one the OCI spec lists for ${endpoints.map((e) => e.id).join(', ')}`,
    });
  }
  const unknown = [...new URLSearchParams(exchange.query).keys()].filter(
    (k) => !endpoints.some((e) => e.query.includes(k)),
  );
  if (unknown.length)
    out.push({
      exchange: label,
      where: 'query',
      errors: `query parameters not in the OCI spec: ${unknown.join(', ')}`,
    });
  if (
    exchange.status >= 400 &&
    exchange.responseBody !== undefined &&
    typeof exchange.responseBody === 'object' &&
    !isErrorBody(exchange.responseBody)
  ) {
    out.push({
      exchange: label,
      where: 'response',
      errors: 'a JSON error body must be {"errors": [{"code", "message", "detail"?}]} with a code the spec lists',
    });
  }
  return out;
}

function isErrorBody(body: unknown): boolean {
  const errors = (body as { errors?: unknown }).errors;
  return (
    Array.isArray(errors) &&
    errors.length > 0 &&
    errors.every(
      (e: unknown) =>
        e &&
        typeof e === 'object' &&
        ERROR_CODES.includes((e as { code: string }).code) &&
        typeof (e as { message?: unknown }).message === 'string' &&
        Object.keys(e).every((k) => ['code', 'message', 'detail'].includes(k)),
    )
  );
}
