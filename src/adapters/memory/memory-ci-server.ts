/**
 * @module adapters/memory/memory-ci-server
 * A stateful in-memory CiServer for service tests. It follows Woodpecker's rules as the adapter
 * reports them (activation of an active repository returns it, NOT_FOUND for unknown ids, secret
 * events validated) and passes the same contract suite.
 */
import { invalidInput, notFound, upstreamUnavailable } from '../../domain/errors.js';
import {
  CI_SECRET_EVENTS,
  type CiLogLine,
  type CiPipeline,
  type CiPipelineDetail,
  type CiRepo,
  type CiServer,
  type CiStep,
} from '../../ports/ci-server.port.js';
import { settled } from './settled.js';

interface StoredPipeline extends CiPipelineDetail {
  logs: Map<number, string[]>;
}

interface StoredRepo {
  repo: CiRepo;
  secrets: Map<string, { value: string; events: string[] }>;
  pipelines: StoredPipeline[];
  hookRepairs: number;
  /** Head commit per branch, as the forge would answer (setBranchHead); a manual run builds it. */
  heads: Map<string, string>;
}

/** What a test says a pipeline did: its facts, and each step with its log lines. */
export interface MemoryPipelineInput extends Omit<CiPipeline, 'number' | 'webUrl' | 'startedAt' | 'finishedAt'> {
  startedAt?: string | null;
  finishedAt?: string | null;
  /** Pipeline-level errors (a broken config), as CI words them. */
  errors?: string[];
  steps?: Array<
    Omit<CiStep, 'id' | 'exitCode' | 'error'> & { exitCode?: number; error?: string | null; log?: string[] }
  >;
}

export class MemoryCiServer implements CiServer {
  private readonly repos = new Map<number, StoredRepo>();
  private nextId = 1;
  private nextStepId = 1;

  constructor(private readonly baseUrl = 'http://ci.memory.test') {}

  async probe(): Promise<void> {}

  diagnose() {
    return settled(() => [{ check: 'memory ci server', ok: true, detail: `${this.repos.size} repositories` }]);
  }

  activate(forgeRemoteId: number, fullName: string): Promise<CiRepo> {
    return settled(() => {
      if (!Number.isInteger(forgeRemoteId) || forgeRemoteId <= 0)
        throw invalidInput('forge repository id must be a positive integer');
      const existing = [...this.repos.values()].find((s) => s.repo.forgeRemoteId === forgeRemoteId);
      if (existing) {
        existing.repo.active = true;
        return { ...existing.repo };
      }
      const id = this.nextId++;
      const repo: CiRepo = { id, forgeRemoteId, fullName, active: true, webUrl: `${this.baseUrl}/repos/${id}` };
      this.repos.set(id, {
        repo,
        secrets: new Map(),
        pipelines: [],
        hookRepairs: 0,
        heads: new Map([['main', '0'.repeat(39) + '1']]),
      });
      return { ...repo };
    });
  }

  lookup(fullName: string): Promise<CiRepo | undefined> {
    return settled(() => {
      const found = [...this.repos.values()].find((s) => s.repo.fullName.toLowerCase() === fullName.toLowerCase());
      return found ? { ...found.repo } : undefined;
    });
  }

  listRepos(): Promise<CiRepo[]> {
    return settled(() => [...this.repos.values()].map((s) => ({ ...s.repo })));
  }

  upsertSecret(repoId: number, secret: { name: string; value: string; events: string[] }): Promise<void> {
    return settled(() => {
      if (!/^[A-Za-z0-9_]+$/.test(secret.name)) throw invalidInput(`secret name "${secret.name}" is not valid`);
      if (secret.value === '') throw invalidInput('secret value is empty');
      if (secret.events.length === 0 || secret.events.some((e) => !CI_SECRET_EVENTS.has(e)))
        throw invalidInput('secret events must be Woodpecker events');
      this.stored(repoId).secrets.set(secret.name, { value: secret.value, events: [...secret.events] });
    });
  }

  deactivate(repoId: number): Promise<void> {
    return settled(() => {
      this.stored(repoId);
      this.repos.delete(repoId);
    });
  }

  repairHook(repoId: number): Promise<void> {
    return settled(() => {
      this.stored(repoId).hookRepairs++;
    });
  }

  listPipelines(repoId: number, options: { page?: number; perPage?: number } = {}): Promise<CiPipeline[]> {
    return settled(() => {
      const perPage = options.perPage ?? 50;
      const page = options.page ?? 1;
      const newestFirst = [...this.stored(repoId).pipelines].sort((a, b) => b.number - a.number);
      return newestFirst.slice((page - 1) * perPage, page * perPage).map(summary);
    });
  }

  getPipeline(repoId: number, number: number): Promise<CiPipelineDetail> {
    return settled(() => {
      positive(number, 'build number');
      const { logs: _logs, ...detail } = this.pipeline(repoId, number);
      return { ...detail, steps: detail.steps.map((s) => ({ ...s })), errors: [...detail.errors] };
    });
  }

  readStepLog(repoId: number, number: number, stepId: number): Promise<CiLogLine[]> {
    return settled(() => {
      positive(number, 'build number');
      positive(stepId, 'step id');
      const log = this.pipeline(repoId, number).logs.get(stepId);
      if (!log) throw notFound(`step ${stepId} of pipeline ${number} does not exist`);
      return log.map((text, line) => ({ line, text }));
    });
  }

  /**
   * Like Woodpecker's manual run: the branch head as the forge reports it, event `manual`, pending
   * until a test settles it.
   */
  runPipeline(repoId: number, branch: string): Promise<CiPipeline | undefined> {
    return settled(() => {
      const stored = this.stored(repoId);
      const commit = stored.heads.get(branch);
      // CreatePipeline answers a bare 500 for a branch the forge lacks, which the adapter can only report as such.
      if (!commit)
        throw upstreamUnavailable('CI', { message: `CI answered HTTP 500 to start a pipeline for ${branch}` });
      return this.addPipeline(repoId, {
        status: 'pending',
        event: 'manual',
        branch,
        commit,
        createdAt: new Date().toISOString(),
      });
    });
  }

  restartPipeline(repoId: number, number: number): Promise<CiPipeline> {
    return settled(() => {
      positive(number, 'build number');
      const old = this.pipeline(repoId, number);
      return this.addPipeline(repoId, {
        status: 'pending',
        event: old.event,
        branch: old.branch,
        commit: old.commit,
        createdAt: new Date().toISOString(),
      });
    });
  }

  /** Test helper: the forge's head of a branch, which a manual run builds. */
  setBranchHead(repoId: number, branch: string, sha: string): void {
    this.stored(repoId).heads.set(branch, sha);
  }

  /** Test helper: the secret a pipeline step would receive (the port never reads values back). */
  secretValue(repoId: number, name: string): string | undefined {
    return this.repos.get(repoId)?.secrets.get(name)?.value;
  }

  /** Test helper: records a pipeline as if a push had run one, with its steps and their logs. */
  addPipeline(repoId: number, input: MemoryPipelineInput): CiPipeline {
    const stored = this.stored(repoId);
    const number = stored.pipelines.length + 1;
    const logs = new Map<number, string[]>();
    const steps = (input.steps ?? []).map(({ log, ...step }) => {
      const id = this.nextStepId++;
      logs.set(id, [...(log ?? [])]);
      return { ...step, id, exitCode: step.exitCode ?? 0, error: step.error ?? null };
    });
    const full: StoredPipeline = {
      ...input,
      number,
      startedAt: input.startedAt ?? null,
      finishedAt: input.finishedAt ?? null,
      webUrl: `${stored.repo.webUrl}/pipeline/${number}`,
      steps,
      errors: [...(input.errors ?? [])],
      logs,
    };
    stored.pipelines.push(full);
    return summary(full);
  }

  private pipeline(repoId: number, number: number): StoredPipeline {
    const found = this.stored(repoId).pipelines.find((p) => p.number === number);
    if (!found) throw notFound(`pipeline ${number} of CI repository ${repoId} does not exist`);
    return found;
  }

  private stored(repoId: number): StoredRepo {
    const stored = this.repos.get(repoId);
    if (!stored) throw notFound(`CI repository ${repoId} does not exist`, 'Activate the repository first');
    return stored;
  }
}

function summary(p: StoredPipeline): CiPipeline {
  return {
    number: p.number,
    status: p.status,
    event: p.event,
    branch: p.branch,
    commit: p.commit,
    createdAt: p.createdAt,
    startedAt: p.startedAt,
    finishedAt: p.finishedAt,
    webUrl: p.webUrl,
  };
}

function positive(value: number, what: string): void {
  if (!Number.isInteger(value) || value <= 0) throw invalidInput(`${what} must be a positive integer`);
}
