/**
 * One strict spec check for every stand-in exchange, the same in every test: the stand-in factories
 * in test/support (gitea-stand-in, cloudflare, kubernetes, woodpecker, registry) wire it in, and
 * spawned `--sandbox` servers report their exchanges through THREESIX_SANDBOX_EXCHANGE_LOG, checked
 * here too (exchange-log.ts). openapi.ts does the checking (route, query, closed request bodies,
 * listed statuses, response bodies); this file holds what each backend's spec does not say, each
 * rule argued from the real service:
 *
 * Statuses a spec does not list for an operation (every other unlisted status fails):
 * - Kubernetes lists only the success codes and 401. Every API error is a meta/v1 Status
 *   (kubernetes/apimachinery pkg/api/errors/errors.go), so an unlisted 4xx/5xx is accepted when its
 *   body is a Status whose `code` equals the HTTP status (kube-spec.ts checks that on every error).
 * - Gitea's router middleware (routers/api/v1/api.go: reqToken, tokenRequiresScopes,
 *   repoAssignment/orgAssignment) answers 401, 403 and 404 before any handler runs, on routes whose
 *   swagger entry does not list them; accepted with Gitea's APIError body ({message, url}, plus
 *   `errors` on 404).
 * - Cloudflare lists `4XX` for every operation; 5xx (which its docs tell clients to retry) is
 *   accepted with the failure envelope `dns-records_api-response-common-failure`.
 * - Woodpecker's swag-generated swagger lists only success codes; its handlers (server/api/*.go)
 *   answer errors with c.String/c.AbortWithStatus, so an unlisted 4xx/5xx is accepted with a plain
 *   text or empty body, never JSON. Two documented extra successes: 204 from POST /repos/{id}/pipelines
 *   (no pipeline produced, server/api/pipeline.go) and from POST /hook (event ignored, server/api/hook.go).
 * - Gitea: POST /orgs/{org}/repos answers 409 for a taken name (routers/api/v1/repo/repo.go
 *   CreateOrgRepo -> CreateUserRepo, ErrRepoAlreadyExist -> StatusConflict), which its swagger omits.
 *
 * Paths: Woodpecker serves GET /version and /healthz at the root, not under the swagger's basePath
 * /api (server/router/router.go; SUMMARY.md), so those two are checked as /api/version and /api/healthz.
 *
 * Query parameters the real handler reads although the spec omits them (stripped before the check):
 * - Woodpecker DELETE /repos/{repo_id}?remove= (server/api/repo.go DeleteRepo: c.Query("remove"))
 *   and POST /hook?access_token= (server/api/hook.go PostHook: token.ParseRequest reads the hook JWT
 *   from `access_token`, as SUMMARY.md says).
 * - Cloudflare GET dns_records `name.exact|contains|startswith|endswith` and the same for `content`:
 *   the current API's filters (SDK 7.3.0 RecordListParams; cloudflare/NOTES.md), newer than the 2024 schema.
 * Routes no supplied spec covers are named where they are skipped (kube-spec.ts: authorization and
 * metrics groups; Gitea: git smart HTTP, which is no REST API). The registry has no spec in
 * THREESIX_SPECS_DIR: registry-rules.ts states the OCI distribution-spec rules it is held to.
 * When the specs are absent only these checks are skipped (specs.ts prints one note); every suite runs.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { Exchange, ExchangeObserver } from '../../src/sandbox/exchange.js';
import { KubeSpecValidator } from './kube-spec.js';
import { SpecValidator, type SpecViolation } from './openapi.js';
import { checkRegistryExchange } from './registry-rules.js';
import { loadSpec, SPECS_PRESENT } from './specs.js';

export type SpecBackend = 'gitea' | 'cloudflare' | 'kubernetes' | 'woodpecker' | 'registry';

export interface SpecCheck {
  readonly backend: SpecBackend;
  /** False when the specs are absent: exchanges are counted, not checked. */
  readonly enabled: boolean;
  /** The stand-in's observer. */
  readonly observe: ExchangeObserver;
  /** Exchanges seen so far. */
  observed(): number;
  /** Violations so far, as one line each (kept). */
  violations(): string[];
  /** Violations so far, emptied on read (per-test assertions). */
  takeViolations(): string[];
  /** Kubernetes: how many applied or created objects were checked against their kind's schema. */
  appliedObjects(): number;
}

const registered: SpecCheck[] = [];

/** Every check created in this process, for the setup file's final assertion (spec-check-setup.ts). */
export function registeredSpecChecks(): readonly SpecCheck[] {
  return registered;
}

/**
 * A check for one stand-in. It registers itself, so its violations fail the test file even when no
 * test asserts them (`register: false` for checks whose result the caller reports itself).
 */
export function createSpecCheck(backend: SpecBackend, options: { register?: boolean } = {}): SpecCheck {
  const found: string[] = [];
  // Exchanges are checked when a result is asked for, not while the stand-in answers: compiling the
  // large specs takes seconds, which inside a request would turn a probe into a TIMEOUT.
  const pending: Exchange[] = [];
  let observed = 0;
  // The registry's rules are stated in code, not read from a spec file, so they always run.
  const enabled = SPECS_PRESENT || backend === 'registry';
  const counters = { appliedObjects: 0 };
  let checker: Checker | undefined;
  const drain = () => {
    if (!enabled) return void pending.splice(0);
    checker ??= CHECKERS[backend](counters);
    for (const exchange of pending.splice(0))
      found.push(...checker(exchange).map((v) => `${backend}: ${v.exchange} [${v.where}] ${v.errors}`));
  };
  const check: SpecCheck = {
    backend,
    enabled,
    observe: (exchange) => {
      observed += 1;
      pending.push(exchange);
    },
    observed: () => observed,
    violations: () => (drain(), [...found]),
    takeViolations: () => (drain(), found.splice(0)),
    appliedObjects: () => (drain(), counters.appliedObjects),
  };
  if (options.register !== false) registered.push(check);
  return check;
}

type Checker = (exchange: Exchange) => SpecViolation[];

const CHECKERS: Record<SpecBackend, (counters: { appliedObjects: number }) => Checker> = {
  gitea: giteaChecker,
  cloudflare: cloudflareChecker,
  kubernetes: (counters) => {
    const validator = new KubeSpecValidator();
    return (exchange) => {
      validator.check(exchange);
      counters.appliedObjects = validator.appliedObjects;
      return validator.takeViolations();
    };
  },
  woodpecker: woodpeckerChecker,
  registry: () => (exchange) => checkRegistryExchange(exchange),
};

/** Statuses Gitea's handlers answer that its swagger does not list (see the header). */
const GITEA_HANDLER_STATUSES: Array<[RegExp, number]> = [[/^POST \/api\/v1\/orgs\/[^/]+\/repos$/, 409]];

function giteaChecker(): Checker {
  const validator = new SpecValidator('gitea/swagger.v1.json', {
    basePath: '/api/v1',
    unlistedStatus: (ex) => {
      if ([401, 403, 404].includes(ex.status) && isGiteaApiError(ex.responseBody)) return undefined;
      if (
        GITEA_HANDLER_STATUSES.some(
          ([route, status]) => status === ex.status && route.test(`${ex.method} ${ex.path}`),
        ) &&
        isGiteaApiError(ex.responseBody)
      )
        return undefined;
      return `status ${ex.status} is not listed and is neither a Gitea middleware error nor a documented handler status`;
    },
  });
  return (exchange) => {
    if (!exchange.path.startsWith('/api/v1/')) return []; // git smart HTTP: no REST spec
    // Gitea's {filepath} spans slashes; the validator's templates match one segment, so the file path
    // is folded into one segment for matching (contents routes only).
    const contents = /^(\/api\/v1\/repos\/[^/]+\/[^/]+\/contents\/)(.+)$/.exec(exchange.path);
    validator.check(contents ? { ...exchange, path: contents[1] + contents[2]!.replaceAll('/', '%2F') } : exchange);
    return validator.violations.splice(0);
  };
}

function isGiteaApiError(body: unknown): boolean {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  const keys = Object.keys(body);
  return (
    typeof (body as { message?: unknown }).message === 'string' &&
    keys.every((k) => ['message', 'url', 'errors'].includes(k))
  );
}

/**
 * Cloudflare, with the two upstream defects of the 2024-08-06 schema named: the dns_records `4XX`
 * schema is allOf(success envelope with `success: [true]`, failure envelope with `success: [false]`),
 * which nothing satisfies, so error bodies are checked against the failure envelope alone; and the
 * request schema `dns-records_dns-record` lists the readOnly id, proxiable, created_on, modified_on
 * as required, which OpenAPI 3.0 binds to responses only, so their absence from a request is no violation.
 */
const CLOUDFLARE_NEWER_FILTERS = /^(name|content)\.(exact|contains|startswith|endswith)$/;

function cloudflareChecker(): Checker {
  const failure = failureEnvelope();
  // The body is hidden from the validator for dns_records errors (defect above), so the status rule
  // looks at the exchange as served.
  let served: Exchange | undefined;
  const validator = new SpecValidator('cloudflare/dns-records.openapi.json', {
    basePath: '/client/v4',
    unlistedStatus: () =>
      served && served.status >= 500 && failure(served.responseBody)
        ? undefined
        : `status ${served?.status} is not listed (4XX is) and has no failure envelope`,
  });
  return (original) => {
    const exchange =
      original.method === 'GET' ? withoutQuery(original, (name) => CLOUDFLARE_NEWER_FILTERS.test(name)) : original;
    served = exchange;
    const label = `${exchange.method} ${exchange.path} -> ${exchange.status}`;
    const extra: SpecViolation[] = [];
    if (exchange.status >= 400 && exchange.path.includes('/dns_records')) {
      validator.check({ ...exchange, responseBody: undefined });
      if (exchange.responseBody !== undefined && !failure(exchange.responseBody))
        extra.push({ exchange: label, where: 'response', errors: JSON.stringify(failure.errors) });
    } else validator.check(exchange);
    return [...validator.violations.splice(0).flatMap(dropReadOnlyRequired), ...extra];
  };
}

const READ_ONLY_MISSING = /^data must have required property '(id|proxiable|created_on|modified_on)'$/;

function dropReadOnlyRequired(v: SpecViolation): SpecViolation[] {
  if (v.where !== 'request') return [v];
  const rest = v.errors.split('; ').filter((e) => !READ_ONLY_MISSING.test(e));
  return rest.length ? [{ ...v, errors: rest.join('; ') }] : [];
}

function failureEnvelope(): ValidateFunction {
  const ajv = new Ajv({ strict: false, allErrors: true, logger: false });
  ajv.addSchema(loadSpec('cloudflare/dns-records.openapi.json'), 'spec');
  return ajv.compile({ $ref: 'spec#/components/schemas/dns-records_api-response-common-failure' });
}

const WOODPECKER_NO_CONTENT = [/^POST \/api\/repos\/[^/]+\/pipelines$/, /^POST \/api\/hook$/];

function woodpeckerChecker(): Checker {
  const validator = new SpecValidator('woodpecker/swagger.json', {
    unlistedStatus: (ex) => {
      if (ex.status >= 400)
        return ex.responseBody === undefined || typeof ex.responseBody === 'string'
          ? undefined
          : `status ${ex.status} is not listed and Woodpecker answers errors as plain text, not JSON`;
      if (ex.status === 204 && WOODPECKER_NO_CONTENT.some((r) => r.test(`${ex.method} ${ex.path}`))) return undefined;
      return `status ${ex.status} is not listed`;
    },
  });
  return (original) => {
    let exchange =
      original.method === 'DELETE' && /^\/api\/repos\/[^/]+$/.test(original.path)
        ? withoutQuery(original, (name) => name === 'remove')
        : original.method === 'POST' && original.path === '/api/hook'
          ? withoutQuery(original, (name) => name === 'access_token')
          : original;
    if (exchange.path === '/version' || exchange.path === '/healthz')
      exchange = { ...exchange, path: `/api${exchange.path}` };
    if (exchange.method === 'GET' && /^\/api\/repos\/[^/]+\/logs\/[^/]+\/[^/]+$/.test(exchange.path))
      exchange = { ...exchange, responseBody: logEntriesAsBytes(exchange.responseBody) };
    // `/repos/lookup/*repo_full_name` is a gin wildcard spanning the slash, which swagger writes as one
    // `{repo_full_name}` segment; the slash is encoded for matching only.
    validator.check({
      ...exchange,
      path: exchange.path.replace(/^(\/api\/repos\/lookup\/[^/]+)\/([^/]+)$/, '$1%2F$2'),
    });
    return validator.violations.splice(0);
  };
}

/**
 * LogEntry.data is Go `[]byte` (server/model/log.go), which encoding/json writes as a base64 string;
 * the swag-generated swagger says "array of integer" (SUMMARY.md). A string that is valid base64 is
 * checked as the bytes it encodes, the exchange log's "[redacted]" (it blanks every `data` string)
 * as no bytes; anything else is left for the schema to refuse.
 */
function logEntriesAsBytes(body: unknown): unknown {
  if (!Array.isArray(body)) return body;
  return body.map((entry: unknown) => {
    const data = (entry as { data?: unknown } | null)?.data;
    const base64 = typeof data === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(data) && data.length % 4 === 0;
    if (!base64 && data !== '[redacted]') return entry;
    return { ...(entry as object), data: base64 ? [...Buffer.from(data, 'base64')] : [] };
  });
}

/** The exchange without the query parameters a documented rule above allows. */
function withoutQuery(exchange: Exchange, allowed: (name: string) => boolean): Exchange {
  const query = new URLSearchParams(exchange.query);
  for (const name of [...query.keys()]) if (allowed(name)) query.delete(name);
  const rest = query.toString();
  return { ...exchange, query: rest ? `?${rest}` : '' };
}
