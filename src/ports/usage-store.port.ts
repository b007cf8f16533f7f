/**
 * @module ports/usage-store
 * Usage history per project, written by the background usage sampler: every sample is folded
 * into its minute's row and its hour's row (average and peak CPU and memory, latest restart
 * count), so a day at minute and 30 days at hour resolution cost a bounded number of rows.
 *
 * One sampler across processes: before sampling, a process claims the sampling slot (the slot's
 * start time is a primary key; the first insert wins, as webhook deliveries are claimed), so
 * replicas on one database never record a slot twice and need no lease to expire. On PostgreSQL
 * the same insert-if-absent (ON CONFLICT DO NOTHING) does it across machines.
 */

/** One project's reading at one moment. */
export interface UsagePoint {
  project: string;
  cpuMillicores: number;
  memoryBytes: number;
  restarts: number;
}

export type UsageResolution = 'minute' | 'hour';

/** A minute's or an hour's samples of one project, folded. */
export interface UsageBucket {
  /** Epoch milliseconds of the bucket's start. */
  start: number;
  cpuAvg: number;
  cpuPeak: number;
  memoryAvg: number;
  memoryPeak: number;
  /** Restart count at the bucket's latest sample. */
  restarts: number;
  samples: number;
}

export interface UsageStore {
  /** True for the first process to claim the slot starting at `slotStart` (epoch ms); false for every later one. */
  claimSlot(slotStart: number, owner: string): Promise<boolean>;
  /** Folds one reading per project taken at `at` (epoch ms) into its minute and hour rows, in one transaction. */
  record(at: number, points: UsagePoint[]): Promise<void>;
  /** Buckets of `project` starting at or after `since` (epoch ms), oldest first. */
  series(project: string, resolution: UsageResolution, since: number): Promise<UsageBucket[]>;
  /**
   * Deletes minute rows (and claimed slots) starting before `minutesBefore`, hour rows before `hoursBefore`; returns
   * how many rows went.
   */
  prune(options: { minutesBefore: number; hoursBefore: number }): Promise<{ minutes: number; hours: number }>;
}
