/**
 * @module ports/ci-server
 * The CI server (Woodpecker) in domain terms: activation of a repository by its git host id,
 * repository secrets (write-only: values are never read back), pipelines.
 */
import type { BackendProbe } from './backend-probe.port.js';

export interface CiRepo {
  /** The CI server's own id. */
  id: number;
  /** The git host's repository id. */
  forgeRemoteId: number;
  fullName: string;
  active: boolean;
  /** Web URL of the repository in the CI UI. */
  webUrl: string;
}

export interface CiPipeline {
  number: number;
  status: string;
  event: string;
  branch: string;
  commit: string;
  createdAt: string;
  webUrl: string;
}

export interface CiServer extends BackendProbe {
  /** Activates by git host id; an already active repository is looked up and returned (409 is success). */
  activate(forgeRemoteId: number, fullName: string): Promise<CiRepo>;
  /** Undefined when the CI server does not know the repository. */
  lookup(fullName: string): Promise<CiRepo | undefined>;
  /** Every repository the CI server knows, for reconcile. */
  listRepos(): Promise<CiRepo[]>;
  /** Creates or updates a repository secret available to the given events. */
  upsertSecret(repoId: number, secret: { name: string; value: string; events: string[] }): Promise<void>;
  /** Deactivates and removes the repository (`?remove=true`); NOT_FOUND when unknown. */
  deactivate(repoId: number): Promise<void>;
  /** Re-creates the CI server's webhook on the git host. */
  repairHook(repoId: number): Promise<void>;
  /** Newest first. */
  listPipelines(repoId: number, options?: { page?: number; perPage?: number }): Promise<CiPipeline[]>;
}
