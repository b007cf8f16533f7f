/**
 * @module sandbox/start-sandbox
 * `--sandbox` and `threesix-mcp sandbox`: for every backend without real configuration, start its
 * stand-in on loopback and return the variables that point the real adapter at it. Configured
 * backends are left alone, so an operator can mix a real Gitea with a simulated cluster.
 *
 * Each stand-in's port and credentials are saved in THREESIX_DATA_DIR/sandbox/platform.json and
 * reused on the next start with that data dir: clone URLs stored in a database, existing clones'
 * remotes, the Gitea webhooks pointing at the CI stand-in and env files written for other processes
 * stay valid across restarts.
 */
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { BackendName, Config } from '../config.js';
import type { Logger } from '../ports/logger.port.js';
import { readSavedPlatform, writeSavedPlatform, type SavedPlatform } from './saved-platform.js';
import { exchangeLogObserver } from './exchange-log.js';
import { withExchangeObserver } from './serve-stand-in.js';
import type { RunningStandIn, StandIn } from './stand-in.js';

export interface Sandbox {
  env: Record<string, string>;
  simulated: BackendName[];
  endpoints: Partial<Record<BackendName, string>>;
  /** The file the ports and credentials are saved in. */
  savedFile: string;
  stop(): Promise<void>;
}

export interface StartSandboxOptions {
  /**
   * What to do when a saved port is taken (another process on the same data dir, or anything else):
   * `fail` (the `sandbox` command: a second simulator on one data dir is a mistake) or `any`
   * (`--sandbox` sessions, several of which may share a data dir: take a free port and keep the saved one).
   */
  busyPort?: 'fail' | 'any';
}

export function isConfigured(config: Readonly<Config>, backend: BackendName): boolean {
  const value = config.configured[backend];
  return value !== false && value !== null;
}

export async function startSandbox(
  config: Readonly<Config>,
  standIns: readonly StandIn[],
  logger: Logger,
  options: StartSandboxOptions = {},
): Promise<Sandbox> {
  const started = new Map<BackendName, RunningStandIn>();
  const env: Record<string, string> = {};
  const root = join(config.dataDir, 'sandbox');
  mkdirSync(root, { recursive: true });
  const saved = readSavedPlatform(root);
  const next: SavedPlatform = { ...saved };
  try {
    for (const standIn of standIns) {
      if (isConfigured(config, standIn.backend) || started.has(standIn.backend)) continue;
      const dataDir = join(root, standIn.backend);
      mkdirSync(dataDir, { recursive: true });
      const previous = saved[standIn.backend];
      let port = previous?.port ?? 0;
      if (port !== 0 && !(await portIsFree(port))) {
        if (options.busyPort === 'fail') {
          throw new Error(
            `port ${port} saved for the ${standIn.title} stand-in in ${join(root, 'platform.json')} is in use; is another sandbox running on this THREESIX_DATA_DIR? Stop it, or use another data dir`,
          );
        }
        logger.warn(
          'sandbox: saved port in use, this run takes another one (URLs it hands out last only while it runs)',
          { standIn: standIn.backend, port },
        );
        port = 0;
      }
      const start = () =>
        standIn.start({
          config,
          dataDir,
          latencyMs: config.THREESIX_SANDBOX_LATENCY_MS,
          logger: logger.child({ standIn: standIn.backend }),
          started,
          port,
          previous: previous?.env,
        });
      // THREESIX_SANDBOX_EXCHANGE_LOG: every exchange of this stand-in goes to the log too (tests check
      // it against the specs).
      const log = config.THREESIX_SANDBOX_EXCHANGE_LOG;
      const running = log
        ? await withExchangeObserver(exchangeLogObserver(log, standIn.backend), start)
        : await start();
      started.set(standIn.backend, running);
      Object.assign(env, running.env);
      // A run that had to move keeps the saved entry for the process that holds the saved port.
      if (port !== 0 || !previous)
        next[standIn.backend] = { port: Number(new URL(running.endpoint).port), env: running.env };
    }
    writeSavedPlatform(root, next);
  } catch (error) {
    await Promise.all([...started.values()].map((s) => s.stop().catch(() => undefined)));
    throw error;
  }
  const simulated = [...started.keys()];
  const endpoints = Object.fromEntries([...started].map(([name, s]) => [name, s.endpoint]));
  logger.warn('sandbox: simulating backends on loopback', {
    simulated: standIns
      .filter((s) => started.has(s.backend))
      .map((s) => `${s.title} (${started.get(s.backend)!.endpoint})`),
  });
  return {
    env,
    simulated,
    endpoints,
    savedFile: join(root, 'platform.json'),
    stop: async () => {
      for (const running of [...started.values()].reverse()) await running.stop().catch(() => undefined);
    },
  };
}

/** Whether a loopback port can be bound now (the stand-ins bind 127.0.0.1). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
