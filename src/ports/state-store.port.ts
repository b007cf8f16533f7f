/**
 * @module ports/state-store
 * Durable state, split by concern so each use case depends only on what it reads and writes.
 * Every method is synchronous in effect on disk before its promise resolves (SQLite WAL), which
 * the operation journal relies on: a step marked `running` survives a SIGKILL.
 */
import type { AccessStore } from './access-store.port.js';
import type { DeployQueueStore } from './deploy-queue.port.js';
import type { McpSessionStore } from './mcp-session-store.port.js';
import type { ProjectSettingsStore } from './project-settings.port.js';
import type { UsageStore } from './usage-store.port.js';
import type {
  AuditEvent,
  Operation,
  OperationStep,
  Project,
  Release,
  ReleaseStatus,
  StepStatus,
} from '../domain/project.js';

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, absent on the last page. */
  nextCursor?: string;
}

export type NewProject = Pick<Project, 'name' | 'description'> &
  Partial<Omit<Project, 'name' | 'description' | 'createdAt' | 'updatedAt'>>;
export type ProjectPatch = Partial<Omit<Project, 'name' | 'createdAt' | 'updatedAt'>>;

export interface ProjectStore {
  /** Inserts a row; CONFLICT when the name is taken (the unique key is the reservation). */
  create(project: NewProject): Promise<Project>;
  get(name: string): Promise<Project | undefined>;
  /** NOT_FOUND when there is no such project. */
  require(name: string): Promise<Project>;
  update(name: string, patch: ProjectPatch): Promise<Project>;
  delete(name: string): Promise<void>;
  /** Ordered by name; the cursor is the last name of the previous page. */
  list(options: { cursor?: string; limit: number }): Promise<Page<Project>>;
  /** Every project; for reconcile, which compares whole lists. */
  all(): Promise<Project[]>;
  /** The project that serves `domain` as its main or a custom domain, if any. */
  /** The projects in `state`, by name; for start-up sweeps, which look for a few rows among many. */
  inState(state: Project['state']): Promise<Project[]>;
  findByDomain(domain: string): Promise<Project | undefined>;
  /** The project whose deploy-token hash this is (an indexed lookup), if any. */
  findByDeployTokenHash(hash: string): Promise<Project | undefined>;
  count(): Promise<number>;
}

export type NewRelease = Omit<Release, 'id' | 'createdAt' | 'updatedAt' | 'reason'> & { reason?: string | null };

export interface ReleaseStore {
  create(release: NewRelease): Promise<Release>;
  get(id: number): Promise<Release | undefined>;
  setStatus(id: number, status: ReleaseStatus, reason?: string | null): Promise<Release>;
  update(id: number, patch: Partial<Pick<Release, 'digest' | 'status' | 'reason' | 'replicas'>>): Promise<Release>;
  /** Newest first. */
  list(project: string, limit?: number): Promise<Release[]>;
  latest(project: string, status?: ReleaseStatus): Promise<Release | undefined>;
  /** Whether any release of `project`, however old, was built from `commitSha`. */
  hasCommit(project: string, commitSha: string): Promise<boolean>;
  /** Every release still `in_progress`, oldest first: what the background rollout watch settles. */
  inProgress(): Promise<Release[]>;
  /**
   * Sets the status only while the release still has status `from`, in one statement, so two
   * processes settling the same release cannot both win; undefined when it had moved on.
   */
  transition(id: number, from: ReleaseStatus, to: ReleaseStatus, reason?: string | null): Promise<Release | undefined>;
}

export interface OperationJournal {
  /**
   * Journals a new operation, all steps pending. With `reserve`, inserts that project row in the
   * same transaction (CONFLICT when the name is taken), so a name is never reserved without the
   * operation that creates it, whenever the process dies.
   */
  start(
    op: { id: string; kind: string; target: string; input: Record<string, unknown>; steps: string[] },
    options?: { reserve?: NewProject },
  ): Promise<Operation>;
  get(id: string): Promise<Operation | undefined>;
  /** The newest operation of `kind` on `target` that has not succeeded, for resuming. */
  findUnfinished(kind: string, target: string): Promise<Operation | undefined>;
  listByStatus(status: Operation['status']): Promise<Operation[]>;
  markStep(
    id: string,
    step: string,
    status: StepStatus,
    fields?: { output?: Record<string, unknown> | null; error?: string | null },
  ): Promise<OperationStep>;
  finish(
    id: string,
    status: Operation['status'],
    fields?: { result?: Record<string, unknown> | null; error?: string | null },
  ): Promise<Operation>;
  /** Re-opens a failed operation so its pending steps can run again. */
  reopen(id: string): Promise<Operation>;
  /**
   * Takes (or renews) the lease for `owner` until `ttlMs` from now, atomically: true when it was
   * free, expired or already `owner`'s, or when `force` (the holder is known dead); false otherwise.
   */
  /**
   * Records, before a step's backend call, what it is about to ask for (null clears it). Kept when
   * the step is marked again, so a resumed run still sees what the interrupted one intended.
   */
  recordIntent(id: string, step: string, intent: Record<string, unknown> | null): Promise<void>;
  /** The step's recorded intent, or null. */
  intentOf(id: string, step: string): Promise<Record<string, unknown> | null>;
  claim(id: string, owner: string, ttlMs: number, options?: { force?: boolean }): Promise<boolean>;
  /** Gives up `owner`'s lease; a no-op when someone else holds it. */
  release(id: string, owner: string): Promise<void>;
}

export interface AuditLog {
  record(event: Omit<AuditEvent, 'id' | 'time'> & { time?: string }): Promise<void>;
  /** Newest first. */
  list(options: { target?: string; action?: string; limit?: number }): Promise<AuditEvent[]>;
}

export interface DeliveryStore {
  /** Returns false when the key was seen before (the unique index decides, so races are safe). */
  claim(delivery: {
    key: string;
    project: string | null;
    sha: string | null;
    status: string;
    reason?: string | null;
  }): Promise<boolean>;
  setStatus(key: string, status: string, reason?: string | null): Promise<void>;
  get(
    key: string,
  ): Promise<
    { key: string; project: string | null; sha: string | null; status: string; reason: string | null } | undefined
  >;
  /** True when any of `keys` was recorded before: one lookup for a delivery's several dedup keys. */
  seen(keys: string[]): Promise<boolean>;
}

/** Random keys threesix makes for itself; never shown by any tool, resource or log. */
export interface InstallSecretStore {
  /**
   * The value stored under `name`, stored first from `make()` when there is none. Two callers racing
   * on an empty store both get the one value that won (the primary key decides).
   */
  getOrCreate(name: string, make: () => string): Promise<string>;
}

export interface StateStore {
  projects: ProjectStore;
  releases: ReleaseStore;
  operations: OperationJournal;
  audit: AuditLog;
  deliveries: DeliveryStore;
  /** Deploys accepted from CI, resumed after a restart. */
  deployQueue: DeployQueueStore;
  installSecrets: InstallSecretStore;
  /** Usage history per project (the usage sampler). */
  usage: UsageStore;
  /** Lasting per-project settings (set_env, configure) every release applies. */
  settings: ProjectSettingsStore;
  /** Agent tokens and project owners (access control on /mcp). */
  access: AccessStore;
  /** MCP sessions of `serve`, shared by its replicas. */
  mcpSessions: McpSessionStore;
  /** Cheap liveness probe for /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
