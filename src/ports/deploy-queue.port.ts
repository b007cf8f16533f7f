/**
 * @module ports/deploy-queue
 * Deploys the CI webhook accepted, persisted so a restart resumes them. Enqueueing also claims
 * the delivery's dedup keys in `webhook_deliveries` and records its audit event, in one
 * transaction: a delivery is either queued with its keys claimed and audited, or not at all.
 */
import type { AuditEvent } from '../domain/project.js';

export type QueuedDeployStatus = 'queued' | 'running' | 'done' | 'failed' | 'superseded';

export interface QueuedDeploy {
  id: number;
  project: string;
  sha: string;
  /** The image the server computed, `<registry>/<org>/<project>:<sha>`. */
  image: string;
  /** Who asked, for the audit trail, e.g. "ci:my-app". */
  actor: string;
  /** The delivery key it was accepted under (its row in webhook_deliveries). */
  deliveryKey: string;
  status: QueuedDeployStatus;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewAuditEvent = Omit<AuditEvent, 'id' | 'time'>;

export type EnqueueResult = { queued: QueuedDeploy } | { duplicateKey: string };

export interface DeployQueueStore {
  /**
   * Claims every key (the first one is the delivery's own), queues the deploy and records `audit`
   * (the queued deploy's id added to its detail as `deployId`); when any key was seen before
   * nothing is written and the first duplicate key is returned.
   */
  enqueue(item: {
    project: string;
    sha: string;
    image: string;
    actor: string;
    keys: string[];
    audit?: NewAuditEvent;
  }): Promise<EnqueueResult>;
  /**
   * Single-flight take: the newest queued deploy of the project becomes `running`, older queued
   * ones become `superseded` (the newest commit wins). Undefined when nothing is queued.
   */
  takeNext(project: string): Promise<QueuedDeploy | undefined>;
  finish(id: number, status: 'done' | 'failed', reason?: string | null): Promise<void>;
  /** After a crash: deploys left `running` go back to `queued`; returns how many. */
  requeueRunning(): Promise<number>;
  /** Projects with queued deploys, for resuming at start. */
  pendingProjects(): Promise<string[]>;
  /** Newest first. */
  list(project: string, limit?: number): Promise<QueuedDeploy[]>;
}
