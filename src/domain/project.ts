/**
 * @module domain/project
 * The records threesix keeps about what it made. Ids of external objects are kept so every step
 * can be resumed, adopted or undone without searching the backends.
 */

export type ProjectState = 'provisioning' | 'ready' | 'deleting' | 'failed';
export type DeploymentStatus = 'none' | 'deploying' | 'running' | 'failed' | 'stopped';

export interface Project {
  name: string;
  description: string;
  state: ProjectState;
  gitRepoName: string | null;
  gitRepoId: number | null;
  gitCloneSsh: string | null;
  gitCloneHttp: string | null;
  gitWebUrl: string | null;
  domain: string | null;
  customDomains: string[];
  deploymentImage: string | null;
  deploymentDigest: string | null;
  deploymentStatus: DeploymentStatus;
  deploymentReplicas: number;
  deployedSha: string | null;
  ciRepoId: number | null;
  dnsRecordIds: string[];
  /** sha256 hex of the per-project deploy token; the token itself is never stored. */
  deployTokenHash: string | null;
  createdAt: string;
  updatedAt: string;
}

export type ReleaseStatus = 'pending' | 'in_progress' | 'succeeded' | 'failed' | 'rolled_back' | 'superseded';

export interface Release {
  id: number;
  project: string;
  image: string;
  digest: string | null;
  commitSha: string | null;
  envHash: string | null;
  port: number;
  replicas: number;
  status: ReleaseStatus;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

export type OperationStatus = 'running' | 'succeeded' | 'failed';
export type StepStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';

export interface OperationStep {
  name: string;
  status: StepStatus;
  /** External ids and facts the step produced, so a resume can adopt them. */
  output: Record<string, unknown> | null;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Operation {
  id: string;
  kind: string;
  target: string;
  status: OperationStatus;
  input: Record<string, unknown>;
  result: Record<string, unknown> | null;
  error: string | null;
  steps: OperationStep[];
  /** The process running it and until when (renewed while it runs); null when nobody holds it. */
  lease: { owner: string; expiresAt: string } | null;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEvent {
  id: number;
  time: string;
  actor: string;
  action: string;
  target: string;
  result: 'ok' | 'error' | 'rejected';
  detail: Record<string, unknown> | null;
}
