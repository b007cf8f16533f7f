/**
 * @module services/ci-webhook
 * One delivery of the CI deploy webhook, judged and, when sound, queued (or, for a failure report
 * with `status: "failure"`, recorded as a failed build: ci-build-failure.ts). Checks, in order: caller
 * (deploy token or signature over the raw body), JSON, no image in the body, schema, project known, token is that
 * project's, default branch, not seen before, not older than what is deployed (already deployed,
 * an earlier release, or no longer the branch head: the newer head's own pipeline deploys it),
 * and the image the server computes exists in the registry. Every outcome is audited, except
 * anonymous refusals over the limiter's bound: those get one summarising row per window and a 429.
 */
import { ciImage, imageRepository } from '../../domain/ci-deploy.js';
import { isDomainError } from '../../domain/errors.js';
import { registryHost } from '../../domain/image-ref.js';
import { printable } from '../../domain/project-name.js';
import type { NewAuditEvent } from '../../ports/deploy-queue.port.js';
import type { AppContext } from '../shared/app-context.js';
import { recordBuildFailure } from './ci-build-failure.js';
import { identifyCaller } from './ci-webhook-auth.js';
import type { RefusalLimiter } from './ci-webhook-limiter.js';
import { CiWebhookBody, FOREIGN_IMAGE_KEYS } from './ci-webhook-body.js';
import { withTimeout } from '../shared/with-timeout.js';

export type WebhookReason =
  | 'queued'
  | 'too_large'
  | 'malformed_json'
  | 'image_in_body'
  | 'invalid_body'
  | 'unauthenticated'
  | 'bad_signature'
  | 'unknown_project'
  | 'wrong_project'
  | 'repo_mismatch'
  | 'project_deleting'
  | 'not_default_branch'
  | 'duplicate'
  | 'already_deployed'
  | 'stale'
  | 'image_missing'
  | 'unavailable'
  | 'throttled'
  | 'build_failed';

export interface WebhookRequest {
  rawBody: string;
  authorization?: string;
  signature?: string;
  idempotencyKey?: string;
}

export interface WebhookOutcome {
  accepted: boolean;
  reason: WebhookReason;
  message: string;
  project?: string;
  deployId?: number;
  /** With `throttled`: seconds until the window ends (the Retry-After header). */
  retryAfterS?: number;
}

/** Who sent the delivery (remote address, or one shared bucket) and the limiter that bounds refusals. */
export interface RefusalGuard {
  limiter: RefusalLimiter;
  client: string;
}

interface Facts {
  project?: string;
  actor: string;
  detail: Record<string, unknown>;
  /** The audit row was written with the queued deploy, in its transaction. */
  audited?: boolean;
}

const BACKEND_TIMEOUT_MS = 5000;
const ANONYMOUS = 'ci:anonymous';
const reject = (reason: WebhookReason, message: string): WebhookOutcome => ({ accepted: false, reason, message });

export async function receiveCiWebhook(
  app: AppContext,
  request: WebhookRequest,
  guard?: RefusalGuard,
): Promise<WebhookOutcome> {
  const facts: Facts = { actor: ANONYMOUS, detail: {} };
  const outcome = await judge(app, request, facts).catch((error: unknown) => {
    app.logger.warn('ci webhook: backend check failed', { err: error });
    return reject('unavailable', 'a backend needed to check this delivery is unavailable; retry');
  });
  return { ...(await settle(app, outcome, facts, guard)), project: facts.project };
}

/** For deliveries refused before the body is read (over the size limit). */
export async function recordRejectedDelivery(
  app: AppContext,
  reason: WebhookReason,
  message: string,
  guard?: RefusalGuard,
): Promise<WebhookOutcome> {
  return settle(app, reject(reason, message), { actor: ANONYMOUS, detail: {} }, guard);
}

/** Audits the outcome, unless it is an anonymous refusal over the limiter's bound. */
async function settle(
  app: AppContext,
  outcome: WebhookOutcome,
  facts: Facts,
  guard: RefusalGuard | undefined,
): Promise<WebhookOutcome> {
  const verdict =
    guard && !outcome.accepted && facts.actor === ANONYMOUS
      ? guard.limiter.refuse(guard.client)
      : { kind: 'record' as const };
  if (verdict.kind === 'record') {
    await recordDelivery(app, outcome, facts);
    return outcome;
  }
  const { retryAfterS, scope } = verdict;
  const from = scope === 'client' ? 'from this address' : 'from all addresses';
  const throttled: WebhookOutcome = {
    accepted: false,
    reason: 'throttled',
    message: `too many refused deliveries ${from}; retry after ${retryAfterS} s`,
    retryAfterS,
  };
  if (verdict.kind === 'drop') {
    app.metrics.webhookDelivery('throttled');
    return throttled;
  }
  const { limits } = guard!.limiter;
  const detail = {
    refused: outcome.reason,
    client: guard!.client,
    scope,
    limit: scope === 'client' ? limits.perClient : limits.total,
    windowS: limits.windowMs / 1000,
    quietForS: retryAfterS,
  };
  app.logger.warn('ci webhook: refusals throttled; further ones this window are not audited', detail);
  await recordDelivery(app, throttled, { actor: ANONYMOUS, detail });
  return throttled;
}

async function judge(app: AppContext, request: WebhookRequest, facts: Facts): Promise<WebhookOutcome> {
  // Authenticate over the raw bytes before anything reads them: an anonymous caller learns
  // 401 and nothing else — not whether the body is JSON, nor the schema it would have to match.
  const caller = await identifyCaller({
    rawBody: request.rawBody,
    authorization: request.authorization,
    signature: request.signature,
    secret: app.config.WOODPECKER_WEBHOOK_SECRET,
    findByTokenHash: (hash) => app.store.projects.findByDeployTokenHash(hash),
  });
  if (caller.kind === 'none')
    return reject(
      caller.why === 'bad_signature' ? 'bad_signature' : 'unauthenticated',
      'missing or wrong deploy token',
    );
  facts.actor = caller.kind === 'token' ? `ci:${caller.owner.name}` : 'ci:signed';

  let json: unknown;
  try {
    json = JSON.parse(request.rawBody);
  } catch {
    return reject('malformed_json', 'the body is not JSON');
  }
  if (json && typeof json === 'object' && FOREIGN_IMAGE_KEYS.some((key) => key in json)) {
    return reject(
      'image_in_body',
      'the body names an image; threesix computes the image itself and refuses deliveries that name one',
    );
  }
  const parsed = CiWebhookBody.safeParse(json);
  if (!parsed.success)
    return reject(
      'invalid_body',
      `the body is invalid at ${parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ')}`,
    );
  const body = parsed.data;
  Object.assign(facts.detail, {
    claimed: printable(body.project ?? body.repo ?? ''),
    sha: body.sha,
    branch: printable(body.branch),
    pipeline: body.pipeline,
    pipelineUrl: printable(body.pipeline_url, 200),
  });
  const key = request.idempotencyKey;
  if (key !== undefined && !/^[\x21-\x7e]{1,200}$/.test(key))
    return reject('invalid_body', 'the Idempotency-Key header must be 1-200 printable characters');
  if (key) facts.detail.idempotencyKey = key;

  const org = app.config.GITEA_DEFAULT_ORG.toLowerCase();
  const named =
    body.project ??
    (body.repo!.toLowerCase().startsWith(`${org}/`) ? body.repo!.slice(org.length + 1).toLowerCase() : undefined);
  // A project's repository is named after it, so the repo "org/name" names the project too. The
  // token's own project was just read to authenticate it; only another name needs a lookup.
  const owner = caller.kind === 'token' ? caller.owner : undefined;
  const project =
    owner?.name === named
      ? owner
      : named && /^[a-z0-9-]{1,63}$/.test(named)
        ? await app.store.projects.get(named)
        : undefined;
  if (!project) return reject('unknown_project', 'no such project');
  facts.project = project.name;
  if (owner && owner.name !== project.name)
    return reject('wrong_project', 'the deploy token belongs to another project');
  if (body.repo && body.repo.toLowerCase() !== `${org}/${project.gitRepoName ?? project.name}`)
    return reject('repo_mismatch', 'repo and project name different repositories');
  if (project.state === 'deleting') return reject('project_deleting', 'the project is being deleted');
  if (body.status === 'failure') {
    // A failure report deploys nothing, so none of the deploy checks below apply; it is its own audit row.
    const recorded = await recordBuildFailure(
      app,
      project,
      { sha: body.sha, branch: body.branch, pipeline: body.pipeline, pipelineUrl: body.pipeline_url },
      facts.actor,
    );
    if (recorded.duplicate) return reject('duplicate', 'this failed build was recorded before');
    facts.audited = true;
    return {
      accepted: true,
      reason: 'build_failed',
      message: `failed build recorded${recorded.failedStep ? ` (step ${recorded.failedStep})` : ''}; nothing deployed`,
    };
  }

  const keys = [...(key ? [`idem:${key}`] : []), `sha:${project.name}:${body.sha}`];
  if (await app.store.deliveries.seen(keys))
    return reject('duplicate', 'this delivery (or this commit) was accepted before');
  if (project.deployedSha === body.sha) return reject('already_deployed', 'this commit is already deployed');
  if (await app.store.releases.hasCommit(project.name, body.sha))
    return reject('stale', 'this commit was released before; a newer one is deployed');

  const git = await app.backends.git.get();
  const repoName = project.gitRepoName ?? project.name;
  const repo = await withTimeout(git.getRepo(repoName), BACKEND_TIMEOUT_MS, 'git host');
  if (body.branch !== repo.defaultBranch)
    return reject('not_default_branch', `only the default branch (${repo.defaultBranch}) deploys`);
  const head = await withTimeout(git.getBranchHead(repoName, repo.defaultBranch), BACKEND_TIMEOUT_MS, 'git host');
  if (head.sha !== body.sha)
    return reject(
      'stale',
      `this commit is not the head of ${repo.defaultBranch}; the newer head's pipeline deploys that`,
    );

  const registry = await app.backends.registry.get();
  const digest = await withTimeout(
    registry.resolve(imageRepository(org, project.name), body.sha),
    BACKEND_TIMEOUT_MS,
    'registry',
  ).catch((error: unknown) => {
    if (isDomainError(error) && error.code === 'NOT_FOUND') return undefined;
    throw error;
  });
  if (!digest) return reject('image_missing', 'the image for this commit is not in the registry');
  const image = ciImage(registryHost(registry.host), org, project.name, body.sha);
  Object.assign(facts.detail, { image, digest: digest.digest });

  const queued: WebhookOutcome = { accepted: true, reason: 'queued', message: 'deploy queued' };
  // The audit row commits with the queue entry and its keys: no queued deploy goes unaudited.
  const result = await app.store.deployQueue.enqueue({
    project: project.name,
    sha: body.sha,
    image,
    actor: facts.actor,
    keys,
    audit: auditEvent(queued, facts),
  });
  if ('duplicateKey' in result) return reject('duplicate', 'this delivery (or this commit) was accepted before');
  facts.audited = true;
  return { ...queued, deployId: result.queued.id };
}

async function recordDelivery(app: AppContext, outcome: WebhookOutcome, facts: Facts): Promise<void> {
  app.metrics.webhookDelivery(outcome.reason);
  if (!facts.audited) await app.store.audit.record(auditEvent(outcome, facts));
}

/** The audit row of a delivery; a queued one gets its `deployId` from the queue (see DeployQueueStore.enqueue). */
function auditEvent(outcome: WebhookOutcome, facts: Facts): NewAuditEvent {
  return {
    actor: facts.actor,
    action: 'ci.webhook',
    target: facts.project ?? '-',
    result: outcome.accepted ? 'ok' : 'rejected',
    detail: { reason: outcome.reason, ...facts.detail, ...(outcome.deployId ? { deployId: outcome.deployId } : {}) },
  };
}
