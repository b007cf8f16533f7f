/**
 * @module config
 * One zod schema for every environment variable, read once at start. The schema is also the
 * source of the README's configuration table (test/unit/readme.test.ts keeps them in step).
 * Errors name the variable, never its value.
 */
import { resolve } from 'node:path';
import { z } from 'zod';

const optionalString = z.string().trim().min(1).optional();
const optionalUrl = z.url({ protocol: /^https?$/ }).optional();
// The fallback is a zod default (not only the transform's), so the README's table shows it.
const bool = (fallback: boolean) =>
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off', ''])
    .default(fallback ? 'true' : 'false')
    .transform((v) => (v === '' ? fallback : ['1', 'true', 'yes', 'on'].includes(v)));
const list = z
  .string()
  .optional()
  .transform((v) =>
    v
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  );

/**
 * Password of the sandbox Gitea stand-in (any username). It guards nothing real — the stand-in
 * listens on loopback and holds only sandbox data — and is published so agents can push.
 */
export const SANDBOX_GIT_PASSWORD = 'sandbox';

export const TOOLSETS = ['project', 'repo', 'dns', 'deploy', 'domain'] as const;
export type Toolset = (typeof TOOLSETS)[number];

/** Variables whose values must never be logged, echoed or written anywhere but where they are used. */
export const SECRET_VARIABLES = new Set([
  'GITEA_TOKEN',
  'CLOUDFLARE_API_TOKEN',
  'PDNS_API_KEY',
  'WOODPECKER_TOKEN',
  'WOODPECKER_WEBHOOK_SECRET',
  'REGISTRY_PASSWORD',
  'THREESIX_HTTP_TOKEN',
  'THREESIX_DATABASE_URL',
]);

export const EnvSchema = z.object({
  GITEA_URL: optionalUrl.describe('Gitea base URL, e.g. https://git.example.com'),
  GITEA_TOKEN: optionalString.describe('Gitea API token (scopes write:organization, write:repository)'),
  GITEA_DEFAULT_ORG: z.string().default('threesix').describe('Gitea organization that owns project repositories'),
  GITEA_SSH_HOST: optionalString.describe('Host shown in SSH clone URLs when it differs from GITEA_URL'),
  CLOUDFLARE_API_TOKEN: optionalString.describe('Cloudflare API token (Zone:DNS:Edit on the zone)'),
  CLOUDFLARE_ZONE_ID: optionalString.describe('Cloudflare zone id of DEFAULT_DOMAIN'),
  CLOUDFLARE_API_URL: optionalUrl.describe('Cloudflare API base URL (tests and sandbox only)'),
  PDNS_API_URL: optionalUrl.describe('PowerDNS HTTP API URL, e.g. http://127.0.0.1:8081'),
  PDNS_API_KEY: optionalString.describe('PowerDNS API key (X-API-Key)'),
  PDNS_SERVER_ID: z.string().default('localhost').describe('PowerDNS server id'),
  DNS_PROVIDER: z
    .enum(['cloudflare', 'powerdns'])
    .optional()
    .describe('DNS backend; defaults to whichever is configured'),
  DEFAULT_DOMAIN: z
    .string()
    .default('threesix.local')
    .describe('DNS zone projects live in: <project>.<DEFAULT_DOMAIN>'),
  CLUSTER_IP: z.ipv4().default('127.0.0.1').describe('Ingress IP that project A records point at'),
  DNS_TARGET: optionalString.describe('CNAME target for project records instead of an A record to CLUSTER_IP'),
  DNS_PROXIED: bool(false).describe('Create project records proxied (Cloudflare only)'),
  KUBECONFIG: optionalString.describe('Path to a kubeconfig; in-cluster config is used when running in a pod'),
  DEPLOY_NAMESPACE: z.string().default('projects').describe('Namespace project workloads are deployed to'),
  DEPLOY_TLS_ISSUER: z
    .string()
    .default('letsencrypt-threesix')
    .describe('cert-manager issuer for project certificates'),
  DEPLOY_TLS_ISSUER_KIND: z.enum(['Issuer', 'ClusterIssuer']).default('Issuer').describe('Kind of DEPLOY_TLS_ISSUER'),
  DEPLOY_TLS_SECRET: optionalString.describe('Existing wildcard TLS secret to use instead of cert-manager'),
  DEPLOY_CPU_REQUEST: z
    .string()
    .regex(/^[0-9]+(\.[0-9]+)?m?$/)
    .default('50m')
    .describe('CPU request per project container'),
  DEPLOY_CPU_LIMIT: z
    .string()
    .regex(/^[0-9]+(\.[0-9]+)?m?$/)
    .default('500m')
    .describe('CPU limit per project container'),
  DEPLOY_MEMORY_REQUEST: z
    .string()
    .regex(/^[0-9]+(Ki|Mi|Gi)?$/)
    .default('64Mi')
    .describe('Memory request per project container'),
  DEPLOY_MEMORY_LIMIT: z
    .string()
    .regex(/^[0-9]+(Ki|Mi|Gi)?$/)
    .default('256Mi')
    .describe('Memory limit per project container'),
  INGRESS_CLASS: z.string().default('traefik').describe('Ingress class for project ingresses'),
  REGISTRY_URL: optionalString.describe('OCI registry images are built into, e.g. zot.threesix.svc:5000'),
  REGISTRY_USERNAME: optionalString.describe(
    'Registry user CI pushes as (given to each pipeline) and threesix reads with; needed when pushes need auth',
  ),
  REGISTRY_PASSWORD: optionalString.describe('Registry password'),
  WOODPECKER_URL: optionalUrl.describe('Woodpecker server URL'),
  WOODPECKER_TOKEN: optionalString.describe('Woodpecker personal access token'),
  WOODPECKER_WEBHOOK_SECRET: optionalString.describe('Optional global HMAC secret for the deploy webhook'),
  THREESIX_DATA_DIR: z.string().default('.threesix').describe('Directory for the database and sandbox data'),
  THREESIX_DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/ })
    .optional()
    .describe(
      'PostgreSQL URL (postgres://user:password@host:5432/db) to keep state in instead of the SQLite file in THREESIX_DATA_DIR, for several replicas on one database',
    ),
  THREESIX_HTTP_HOST: z.string().default('127.0.0.1').describe('Address `serve` binds'),
  THREESIX_HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3636).describe('Port `serve` binds'),
  THREESIX_HTTP_TOKEN: optionalString.describe('Bearer token required on /mcp and /metrics'),
  THREESIX_PUBLIC_URL: optionalUrl.describe('URL CI uses to reach this server (the webhook base)'),
  THREESIX_ALLOWED_HOSTS: list.describe('Extra Host header values accepted (DNS-rebinding protection)'),
  THREESIX_ALLOWED_ORIGINS: list.describe('Origins accepted on /mcp besides loopback'),
  THREESIX_MAX_SESSIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100_000)
    .default(256)
    .describe('Live MCP sessions `serve` holds at once; initialize beyond it gets 503 with Retry-After'),
  THREESIX_HTTP_REQUEST_TIMEOUT_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(600)
    .default(30)
    .describe('Seconds a client has to send a whole request, body included (headers: at most 10)'),
  THREESIX_SESSION_IDLE_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(86_400)
    .default(600)
    .describe('Seconds an MCP session may stay unused before it is closed'),
  THREESIX_READ_ONLY: bool(false).describe('Register read-only tools only'),
  THREESIX_APPROVAL: z
    .enum(['off', 'destructive'])
    .default('off')
    .describe(
      'destructive: destructive tools go ahead only when the person accepts an MCP elicitation (confirm alone is not enough)',
    ),
  THREESIX_OIDC_ISSUER: optionalUrl.describe(
    'OIDC issuer whose JWTs /mcp accepts beside agent tokens (JWKS from its discovery document)',
  ),
  THREESIX_OIDC_AUDIENCE: optionalString.describe('Audience JWTs must carry; defaults to THREESIX_PUBLIC_URL'),
  THREESIX_OIDC_SCOPE_CLAIM: z
    .string()
    .default('threesix_scope')
    .describe('JWT claim holding the scope: read, write or admin (read when absent)'),
  THREESIX_OIDC_PROJECTS_CLAIM: z
    .string()
    .default('threesix_projects')
    .describe('JWT claim holding project globs (array or comma list; every project when absent)'),
  THREESIX_TOOLSETS: list
    .refine((names) => names.every((name) => (TOOLSETS as readonly string[]).includes(name)), {
      message: 'unknown toolset',
    })
    .describe(`Comma list of toolsets to register (${TOOLSETS.join(', ')}); all when empty`),
  THREESIX_OWNER_ID: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
    .default('threesix')
    .describe('Ownership mark on DNS records and other objects'),
  THREESIX_RESERVED_NAMES: list.describe('Extra project names to refuse'),
  THREESIX_MAX_REPLICAS: z.coerce.number().int().min(1).max(100).default(10).describe('Upper bound for replicas'),
  THREESIX_MAX_CPU: z
    .string()
    .regex(/^[0-9]+(\.[0-9]{1,3})?m?$/)
    .default('2')
    .describe("Upper bound for a project's CPU limit (configure cpu)"),
  THREESIX_MAX_MEMORY: z
    .string()
    .regex(/^[0-9]+(Ki|Mi|Gi|K|M|G)?$/)
    .default('2Gi')
    .describe("Upper bound for a project's memory limit (configure memory)"),
  THREESIX_MAX_DB_STORAGE: z
    .string()
    .regex(/^[1-9][0-9]{0,5}(Mi|Gi|Ti)$/, 'a size such as 10Gi')
    .default('10Gi')
    .describe('Largest storage create_database gives a project database (Mi, Gi or Ti)'),
  THREESIX_MAX_VOLUME: z
    .string()
    .regex(/^[1-9][0-9]{0,5}(Mi|Gi|Ti)$/, 'a size such as 10Gi')
    .default('10Gi')
    .describe('Largest volume add_volume gives a project (Mi, Gi or Ti)'),
  THREESIX_STORAGE_CLASS: optionalString.describe('StorageClass of project volumes; the cluster default when empty'),
  THREESIX_DB_BACKUP_DESTINATION: z
    .string()
    .regex(/^s3:\/\/[^/]+/, 'an s3://bucket/path URL')
    .optional()
    .describe(
      'Object store (s3://bucket/path) for CloudNativePG scheduled backups of project databases; none when empty',
    ),
  THREESIX_DB_BACKUP_ENDPOINT_URL: optionalUrl.describe(
    'S3 endpoint of the backup object store when it is not AWS (MinIO, Garage, ...)',
  ),
  THREESIX_DB_BACKUP_SECRET: optionalString.describe(
    'Secret in DEPLOY_NAMESPACE with ACCESS_KEY_ID and ACCESS_SECRET_KEY for the backup object store',
  ),
  THREESIX_DB_BACKUP_SCHEDULE: z
    .string()
    .regex(/^(\S+ ){5}\S+$/, 'six cron fields, seconds first')
    .default('0 0 3 * * *')
    .describe('When database backups run (six cron fields, seconds first, as ScheduledBackup takes them)'),
  THREESIX_DB_BACKUP_RETENTION: z
    .string()
    .regex(/^[1-9][0-9]*[dwm]$/, 'e.g. 30d')
    .default('30d')
    .describe('How long database backups are kept (CloudNativePG retentionPolicy)'),
  THREESIX_DEPLOY_WAIT_S: z.coerce
    .number()
    .int()
    .min(0)
    .max(600)
    .default(45)
    .describe('Longest a deploy waits for its rollout'),
  THREESIX_AUTO_ROLLBACK: bool(true).describe('Re-apply the last healthy release when a rollout fails'),
  THREESIX_DELETE_REPOS: z
    .enum(['delete', 'archive'])
    .default('delete')
    .describe('What delete_project does with the repository'),
  THREESIX_ALLOWED_IMAGES: list.describe(
    "Image patterns deploy accepts besides the project's own <REGISTRY_URL>/<org>/<project> (globs over registry/path: * within a path segment, ** across)",
  ),
  THREESIX_COLLABORATORS: list.describe('Gitea users added to new repositories, as user or user:permission'),
  THREESIX_DEPLOY_KEY: optionalString.describe('SSH public key added read-only to new repositories'),
  THREESIX_SANDBOX_LATENCY_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(0)
    .describe('Latency each sandbox stand-in adds per call (benchmarks and crash tests)'),
  THREESIX_SANDBOX_EXCHANGE_LOG: optionalString.describe(
    'Sandbox only: file each stand-in appends its HTTP exchanges to, one JSON line each, secret values redacted (tests check them against the API specs)',
  ),
  THREESIX_STATUS_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(60_000)
    .default(3000)
    .describe('Time bound for each backend get_project asks'),
  THREESIX_USAGE_SAMPLE_S: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(60)
    .describe(
      'Seconds between two usage samples of every project (metrics API), kept a day per minute and 30 days per hour',
    ),
  THREESIX_RECONCILE_EVERY_S: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400)
    .default(3600)
    .describe(
      'Seconds between two scheduled reconcile runs (report only, never repair; one replica runs them): drift is audited as reconcile.scheduled and counted in /metrics. 0: off',
    ),
  THREESIX_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info').describe('Log level'),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config extends Env {
  /** Absolute data directory. */
  dataDir: string;
  databaseFile: string;
  /** Which backends have the variables they need. */
  configured: {
    git: boolean;
    dns: 'cloudflare' | 'powerdns' | null;
    ci: boolean;
    deployer: boolean;
    registry: boolean;
  };
}

export class ConfigError extends Error {
  constructor(readonly variables: string[]) {
    super(`invalid configuration: ${variables.join(', ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError naming (never quoting) the bad variables. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Readonly<Config> {
  // Field by field rather than EnvSchema.safeParse: an object parse first generates and compiles
  // a validator for all the fields (zod's JIT), a cost every start would pay for a one-time parse.
  const data: Record<string, unknown> = {};
  const invalid: string[] = [];
  for (const [key, schema] of Object.entries(EnvSchema.shape)) {
    const value = env[key];
    const parsed = schema.safeParse(value === '' ? undefined : value);
    if (!parsed.success) invalid.push(key);
    else if (parsed.data !== undefined) data[key] = parsed.data;
  }
  if (invalid.length > 0) throw new ConfigError(invalid);
  return Object.freeze(deriveConfig(data as Env, env));
}

function deriveConfig(e: Env, env: Record<string, string | undefined>): Config {
  const cloudflare = Boolean(e.CLOUDFLARE_API_TOKEN && e.CLOUDFLARE_ZONE_ID);
  const powerdns = Boolean(e.PDNS_API_URL && e.PDNS_API_KEY);
  let dns: Config['configured']['dns'] = null;
  if (e.DNS_PROVIDER === 'cloudflare' && cloudflare) dns = 'cloudflare';
  else if (e.DNS_PROVIDER === 'powerdns' && powerdns) dns = 'powerdns';
  else if (!e.DNS_PROVIDER) dns = cloudflare ? 'cloudflare' : powerdns ? 'powerdns' : null;
  const dataDir = resolve(e.THREESIX_DATA_DIR);
  return {
    ...e,
    DEFAULT_DOMAIN: e.DEFAULT_DOMAIN.toLowerCase().replace(/\.$/, ''),
    dataDir,
    databaseFile: resolve(dataDir, 'threesix.db'),
    configured: {
      git: Boolean(e.GITEA_URL && e.GITEA_TOKEN),
      dns,
      ci: Boolean(e.WOODPECKER_URL && e.WOODPECKER_TOKEN),
      deployer: Boolean(e.KUBECONFIG || env.KUBERNETES_SERVICE_HOST),
      registry: Boolean(e.REGISTRY_URL),
    },
  };
}

/** The variables each backend needs, for NOT_CONFIGURED hints and `doctor`. */
export const BACKEND_VARIABLES = {
  git: ['GITEA_URL', 'GITEA_TOKEN'],
  dns: ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ZONE_ID', 'or PDNS_API_URL', 'PDNS_API_KEY'],
  ci: ['WOODPECKER_URL', 'WOODPECKER_TOKEN'],
  deployer: ['KUBECONFIG'],
  registry: ['REGISTRY_URL'],
} as const;

export type BackendName = keyof typeof BACKEND_VARIABLES;
