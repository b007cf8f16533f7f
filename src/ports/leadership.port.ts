/**
 * @module ports/leadership
 * Work that must happen once however many replicas share one database (the rollout watch's sweep,
 * the takeover of what a dead replica left, scheduled reconcile) runs on the one replica that
 * leads; and whoever takes over must know that the replica behind an operation lease is dead.
 *
 * On PostgreSQL both are session-level advisory locks on the replica's own lock connection (see
 * adapters/postgres/postgres-leadership.ts for why not a Kubernetes Lease). With the embedded SQLite
 * store there is one process: it always leads, and a lease's holder is dead when its pid is gone.
 */
export interface Leadership {
  /**
   * Whether other replicas share this state (PostgreSQL), so that what one leaves behind while
   * others run is theirs to take over.
   */
  readonly shared: boolean;
  /** This replica's name on the operation leases it holds: host, pid and a nonce. */
  readonly owner: string;
  /**
   * Marks this replica alive under `owner` for as long as it lives (idempotent; again after its
   * connection came back). Called before each lease it takes, so no lease of a live replica looks dead.
   */
  alive(): Promise<void>;
  /** Whether this replica leads now; a follower takes the lead when it is free. Cheap: call it every few seconds. */
  lead(): Promise<boolean>;
  /** Whether the replica named `owner` on a lease is gone (its connection ended, or its process on this host). */
  ownerGone(owner: string): Promise<boolean>;
  /** Gives up the lead and the liveness (shutdown); the replica's other cross-replica locks go with them. */
  close(): Promise<void>;
}
