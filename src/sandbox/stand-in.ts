/**
 * @module sandbox/stand-in
 * A stand-in is a local HTTP server that speaks a backend's real wire format, so the real adapter
 * runs unchanged against it. Each backend issue adds its own under src/sandbox/<backend>/.
 */
import type { BackendName, Config } from '../config.js';
import type { Logger } from '../ports/logger.port.js';

export interface RunningStandIn {
  /** Environment overrides that point the real adapter at this stand-in. */
  env: Record<string, string>;
  /** Base URL, for the banner and threesix://server. */
  endpoint: string;
  stop(): Promise<void>;
}

export interface SandboxContext {
  config: Readonly<Config>;
  /** Directory for this stand-in's data, under THREESIX_DATA_DIR/sandbox. */
  dataDir: string;
  logger: Logger;
  /** Latency every stand-in adds per call (THREESIX_SANDBOX_LATENCY_MS); pass it to serveStandIn. */
  latencyMs: number;
  /** Stand-ins already running (they start in list order), for those that talk to each other. */
  started: ReadonlyMap<BackendName, RunningStandIn>;
  /**
   * Loopback port to bind: the one saved for this data dir, so URLs stored elsewhere stay valid.
   * 0 or absent: any free port.
   */
  port?: number;
  /**
   * The env this stand-in returned when it last ran on this data dir: reuse its credentials so env
   * files written then still work.
   */
  previous?: Readonly<Record<string, string>>;
}

export interface StandIn {
  backend: BackendName;
  /** Human name for the banner, e.g. "Gitea". */
  title: string;
  start(ctx: SandboxContext): Promise<RunningStandIn>;
}
