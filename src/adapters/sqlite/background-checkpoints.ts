/**
 * @module adapters/sqlite/background-checkpoints
 * WAL checkpoints on a worker thread. With synchronous=NORMAL, SQLite syncs to disk only when it
 * checkpoints (the WAL before copying it into the database, the database after), and by default
 * the connection whose commit takes the WAL past 1,000 pages runs that checkpoint inside the
 * commit: on the webhook, one delivery in ~150 blocked the event loop for two fsyncs, which on
 * average cost more than all of a delivery's SQL. Here a second connection, on a worker thread,
 * runs PASSIVE checkpoints (they never block the writer or readers) every INTERVAL_MS. The main
 * connection keeps an automatic threshold, only higher (BACKSTOP_PAGES), so the WAL stays
 * bounded if the worker ever falls behind or dies.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const INTERVAL_MS = 100;
/** The main connection's `wal_autocheckpoint` while the worker runs (SQLite's default is 1,000 pages). */
export const BACKSTOP_PAGES = 10_000;
// A short-lived process (a CLI command, a test) never needs the thread: it starts after this delay.
const START_AFTER_MS = 1000;

// Plain CommonJS evaluated by the worker, so the bundle needs no second entry point. Errors are
// left to the backstop: a failed checkpoint is retried next tick, a dead worker just stops.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
let timer;
const checkpoint = () => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch {}
  timer = setTimeout(checkpoint, workerData.intervalMs);
};
timer = setTimeout(checkpoint, workerData.intervalMs);
parentPort.once('message', () => { clearTimeout(timer); db.close(); parentPort.close(); });
`;

export interface BackgroundCheckpoints {
  /** Stops the worker and closes its connection; call before closing the main connection. */
  stop(): Promise<void>;
}

export function startBackgroundCheckpoints(
  file: string,
  options: { startAfterMs?: number; intervalMs?: number } = {},
): BackgroundCheckpoints {
  let worker: Worker | undefined;
  let exited: Promise<void> = Promise.resolve();
  const start = () => {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file, driver, intervalMs: options.intervalMs ?? INTERVAL_MS },
    });
    exited = new Promise((resolve) => worker!.once('exit', () => resolve()));
    // An 'error' event with no listener would throw in the main thread; the backstop covers it.
    worker.on('error', () => undefined);
    // The thread must not keep a finished process alive.
    worker.unref();
  };
  const timer = setTimeout(start, options.startAfterMs ?? START_AFTER_MS);
  timer.unref();
  return {
    async stop() {
      clearTimeout(timer);
      if (!worker) return;
      // Keep the process alive until the worker has closed its connection.
      worker.ref();
      worker.postMessage('stop');
      await exited;
      worker = undefined;
    },
  };
}
