/**
 * @module adapters/memory/memory-ci-server
 * A stateful in-memory CiServer for service tests. It follows Woodpecker's rules as the adapter
 * reports them (activation of an active repository returns it, NOT_FOUND for unknown ids, secret
 * events validated) and passes the same contract suite.
 */
import { invalidInput, notFound } from '../../domain/errors.js';
import type { CiPipeline, CiRepo, CiServer } from '../../ports/ci-server.port.js';

const EVENTS = new Set(['push', 'pull_request', 'pull_request_closed', 'pull_request_metadata', 'tag', 'release', 'deployment', 'cron', 'manual']);

interface StoredRepo {
  repo: CiRepo;
  secrets: Map<string, { value: string; events: string[] }>;
  pipelines: CiPipeline[];
  hookRepairs: number;
}

export class MemoryCiServer implements CiServer {
  private readonly repos = new Map<number, StoredRepo>();
  private nextId = 1;

  constructor(private readonly baseUrl = 'http://ci.memory.test') {}

  async probe(): Promise<void> {}

  async diagnose() {
    return [{ check: 'memory ci server', ok: true, detail: `${this.repos.size} repositories` }];
  }

  async activate(forgeRemoteId: number, fullName: string): Promise<CiRepo> {
    if (!Number.isInteger(forgeRemoteId) || forgeRemoteId <= 0) throw invalidInput('forge repository id must be a positive integer');
    const existing = [...this.repos.values()].find(s => s.repo.forgeRemoteId === forgeRemoteId);
    if (existing) {
      existing.repo.active = true;
      return { ...existing.repo };
    }
    const id = this.nextId++;
    const repo: CiRepo = { id, forgeRemoteId, fullName, active: true, webUrl: `${this.baseUrl}/repos/${id}` };
    this.repos.set(id, { repo, secrets: new Map(), pipelines: [], hookRepairs: 0 });
    return { ...repo };
  }

  async lookup(fullName: string): Promise<CiRepo | undefined> {
    const found = [...this.repos.values()].find(s => s.repo.fullName.toLowerCase() === fullName.toLowerCase());
    return found ? { ...found.repo } : undefined;
  }

  async listRepos(): Promise<CiRepo[]> {
    return [...this.repos.values()].map(s => ({ ...s.repo }));
  }

  async upsertSecret(repoId: number, secret: { name: string; value: string; events: string[] }): Promise<void> {
    if (!/^[A-Za-z0-9_]+$/.test(secret.name)) throw invalidInput(`secret name "${secret.name}" is not valid`);
    if (secret.value === '') throw invalidInput('secret value is empty');
    if (secret.events.length === 0 || secret.events.some(e => !EVENTS.has(e))) throw invalidInput('secret events must be Woodpecker events');
    this.stored(repoId).secrets.set(secret.name, { value: secret.value, events: [...secret.events] });
  }

  async deactivate(repoId: number): Promise<void> {
    this.stored(repoId);
    this.repos.delete(repoId);
  }

  async repairHook(repoId: number): Promise<void> {
    this.stored(repoId).hookRepairs++;
  }

  async listPipelines(repoId: number, options: { page?: number; perPage?: number } = {}): Promise<CiPipeline[]> {
    const perPage = options.perPage ?? 50;
    const page = options.page ?? 1;
    const newestFirst = [...this.stored(repoId).pipelines].sort((a, b) => b.number - a.number);
    return newestFirst.slice((page - 1) * perPage, page * perPage).map(p => ({ ...p }));
  }

  /** Test helper: the secret a pipeline step would receive (the port never reads values back). */
  secretValue(repoId: number, name: string): string | undefined {
    return this.repos.get(repoId)?.secrets.get(name)?.value;
  }

  /** Test helper: records a pipeline as if a push had run one. */
  addPipeline(repoId: number, pipeline: Omit<CiPipeline, 'number' | 'webUrl'>): CiPipeline {
    const stored = this.stored(repoId);
    const number = stored.pipelines.length + 1;
    const full = { ...pipeline, number, webUrl: `${stored.repo.webUrl}/pipeline/${number}` };
    stored.pipelines.push(full);
    return { ...full };
  }

  private stored(repoId: number): StoredRepo {
    const stored = this.repos.get(repoId);
    if (!stored) throw notFound(`CI repository ${repoId} does not exist`, 'Activate the repository first');
    return stored;
  }
}
