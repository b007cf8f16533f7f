/**
 * @module adapters/woodpecker/woodpecker-ci-server
 * The CiServer port over Woodpecker's HTTP API (v3, /api, Bearer token), per
 * ../shared/specs/woodpecker/swagger.json and the routes in woodpecker-ci/woodpecker
 * server/router/{router,api}.go. Activation is idempotent: Woodpecker answers 409 for a
 * repository that is already active, which is looked up and returned.
 */
import { conflict, invalidInput, isDomainError } from '../../domain/errors.js';
import type { BackendCheck } from '../../ports/backend-probe.port.js';
import {
  CI_SECRET_EVENTS,
  type CiLogLine,
  type CiPipeline,
  type CiPipelineDetail,
  type CiRepo,
  type CiServer,
} from '../../ports/ci-server.port.js';
import {
  toLogLines,
  toPipeline,
  toPipelineDetail,
  type WireLogEntry,
  type WirePipeline,
} from './woodpecker-pipeline-wire.js';
import { woodpeckerHttp, type WoodpeckerHttp, type WoodpeckerHttpOptions } from './woodpecker-http.js';

interface WireRepo {
  id: number;
  forge_remote_id?: string;
  full_name?: string;
  active?: boolean;
}

const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

export class WoodpeckerCiServer implements CiServer {
  private readonly http: WoodpeckerHttp;
  private readonly baseUrl: string;

  constructor(options: WoodpeckerHttpOptions) {
    this.http = woodpeckerHttp(options);
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async probe(): Promise<void> {
    await this.http({ method: 'GET', path: '/api/user', what: 'read the CI user' });
  }

  async diagnose(): Promise<BackendCheck[]> {
    const checks: BackendCheck[] = [];
    try {
      // `/version`, not `/api/version`: server/router/router.go serves it on the root group.
      const { body } = await this.http<{ version?: string }>({
        method: 'GET',
        path: '/version',
        what: 'read the version',
      });
      checks.push({ check: 'version', ok: true, detail: `Woodpecker ${body?.version ?? 'unknown version'}` });
    } catch (error) {
      checks.push({ check: 'version', ok: false, detail: isDomainError(error) ? error.message : 'unreachable' });
    }
    try {
      const { body } = await this.http<{ login?: string }>({
        method: 'GET',
        path: '/api/user',
        what: 'read the CI user',
      });
      checks.push({ check: 'token', ok: true, detail: `authenticated as ${body?.login ?? 'unknown'}` });
    } catch (error) {
      checks.push({ check: 'token', ok: false, detail: isDomainError(error) ? error.message : 'rejected' });
    }
    return checks;
  }

  async activate(forgeRemoteId: number, fullName: string): Promise<CiRepo> {
    if (!Number.isInteger(forgeRemoteId) || forgeRemoteId <= 0)
      throw invalidInput('forge repository id must be a positive integer');
    const what = `activate ${fullName} in CI`;
    try {
      const { body } = await this.http<WireRepo>({
        method: 'POST',
        path: '/api/repos',
        query: { forge_remote_id: forgeRemoteId },
        what,
      });
      return this.toRepo(body);
    } catch (error) {
      if (!isDomainError(error) || error.code !== 'CONFLICT') throw error;
      // 409: already active (success), or a stale entry under the same name (needs a human).
      const existing = await this.lookup(fullName);
      if (existing?.active && existing.forgeRemoteId === forgeRemoteId) return existing;
      throw conflict(
        `${what}: Woodpecker has a stale entry for this repository`,
        'Remove the stale repository in Woodpecker (or deactivate it) and try again',
      );
    }
  }

  async lookup(fullName: string): Promise<CiRepo | undefined> {
    const path = `/api/repos/lookup/${fullName.split('/').map(encodeURIComponent).join('/')}`;
    try {
      const { body } = await this.http<WireRepo>({ method: 'GET', path, what: `look up ${fullName} in CI` });
      return this.toRepo(body);
    } catch (error) {
      if (isDomainError(error) && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }

  async listRepos(): Promise<CiRepo[]> {
    const { body } = await this.http<WireRepo[]>({
      method: 'GET',
      path: '/api/user/repos',
      what: 'list CI repositories',
    });
    return (body ?? []).filter((r) => typeof r.id === 'number' && r.id > 0).map((r) => this.toRepo(r));
  }

  async upsertSecret(repoId: number, secret: { name: string; value: string; events: string[] }): Promise<void> {
    if (!SECRET_NAME.test(secret.name))
      throw invalidInput(`secret name "${secret.name.slice(0, 40)}" is not valid`, 'Use letters, digits and "_"');
    if (secret.value === '') throw invalidInput(`secret ${secret.name} has an empty value`);
    if (secret.events.length === 0 || secret.events.some((e) => !CI_SECRET_EVENTS.has(e)))
      throw invalidInput('secret events must be one or more Woodpecker events such as "push"');
    const what = `write secret ${secret.name} of CI repository ${repoId}`;
    const body = { name: secret.name, value: secret.value, events: secret.events };
    try {
      await this.http({ method: 'POST', path: `/api/repos/${repoId}/secrets`, body, what });
    } catch (error) {
      // Woodpecker answers 409 (older versions 500) for an existing name; PATCH then updates it.
      if (!isDomainError(error) || !['CONFLICT', 'UPSTREAM_UNAVAILABLE'].includes(error.code)) throw error;
      await this.http({
        method: 'PATCH',
        path: `/api/repos/${repoId}/secrets/${encodeURIComponent(secret.name)}`,
        body,
        what,
      });
    }
  }

  async deactivate(repoId: number): Promise<void> {
    await this.http({
      method: 'DELETE',
      path: `/api/repos/${repoId}`,
      query: { remove: true },
      what: `remove CI repository ${repoId}`,
    });
  }

  async repairHook(repoId: number): Promise<void> {
    await this.http({
      method: 'POST',
      path: `/api/repos/${repoId}/repair`,
      what: `repair the webhook of CI repository ${repoId}`,
    });
  }

  async listPipelines(repoId: number, options: { page?: number; perPage?: number } = {}): Promise<CiPipeline[]> {
    const { body } = await this.http<WirePipeline[]>({
      method: 'GET',
      path: `/api/repos/${repoId}/pipelines`,
      query: { page: options.page, perPage: options.perPage },
      what: `list pipelines of CI repository ${repoId}`,
    });
    return (body ?? []).map((p) => toPipeline(p, this.pipelineUrl(repoId, p.number)));
  }

  // server/router/api.go: GET /repos/:repo_id/pipelines/:pipeline_number → GetPipeline (with workflows and steps).
  async getPipeline(repoId: number, number: number): Promise<CiPipelineDetail> {
    positive(number, 'build number');
    const { body } = await this.http<WirePipeline>({
      method: 'GET',
      path: `/api/repos/${repoId}/pipelines/${number}`,
      what: `read pipeline ${number} of CI repository ${repoId}`,
    });
    return toPipelineDetail(body, this.pipelineUrl(repoId, number));
  }

  // GET /repos/:repo_id/logs/:pipeline_number/:step_id → GetStepLogs: LogEntry[] (server/api/pipeline.go).
  async readStepLog(repoId: number, number: number, stepId: number): Promise<CiLogLine[]> {
    positive(number, 'build number');
    positive(stepId, 'step id');
    const { body } = await this.http<WireLogEntry[]>({
      method: 'GET',
      path: `/api/repos/${repoId}/logs/${number}/${stepId}`,
      what: `read the log of step ${stepId} of pipeline ${number}`,
    });
    return toLogLines(body ?? []);
  }

  // POST /repos/:repo_id/pipelines {branch} → CreatePipeline: 200 Pipeline, or 204 when no workflow runs.
  async runPipeline(repoId: number, branch: string): Promise<CiPipeline | undefined> {
    if (!/^[^\s\0]{1,255}$/.test(branch)) throw invalidInput('branch must be a branch name');
    const { status, body } = await this.http<WirePipeline | undefined>({
      method: 'POST',
      path: `/api/repos/${repoId}/pipelines`,
      body: { branch },
      what: `start a pipeline of CI repository ${repoId}`,
    });
    return status === 204 || !body ? undefined : toPipeline(body, this.pipelineUrl(repoId, body.number));
  }

  // POST /repos/:repo_id/pipelines/:pipeline_number → PostPipeline → pipeline.Restart: a new pipeline
  // (parent = number).
  async restartPipeline(repoId: number, number: number): Promise<CiPipeline> {
    positive(number, 'build number');
    const { body } = await this.http<WirePipeline>({
      method: 'POST',
      path: `/api/repos/${repoId}/pipelines/${number}`,
      what: `restart pipeline ${number} of CI repository ${repoId}`,
    });
    return toPipeline(body, this.pipelineUrl(repoId, body.number));
  }

  private pipelineUrl(repoId: number, number: number): string {
    return `${this.baseUrl}/repos/${repoId}/pipeline/${number}`;
  }

  private toRepo(wire: WireRepo): CiRepo {
    return {
      id: wire.id,
      forgeRemoteId: Number(wire.forge_remote_id ?? 0),
      fullName: wire.full_name ?? '',
      active: wire.active ?? false,
      webUrl: `${this.baseUrl}/repos/${wire.id}`,
    };
  }
}

function positive(value: number, what: string): void {
  if (!Number.isInteger(value) || value <= 0) throw invalidInput(`${what} must be a positive integer`);
}
