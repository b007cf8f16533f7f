// Sends HTTP POSTs from a worker thread, so the load generator runs on its own event loop (and
// core) instead of stealing time from the server it measures. Used by webhook.mjs.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { runConcurrent } from './load.mjs';

/** POSTs every request in `requests` ({url, headers, body}), `workers` at a time; each must answer `expected`. */
export function postFromWorker({ requests, workers, expected, maxMs }) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { requests, workers, expected, maxMs } });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

if (!isMainThread) {
  const { requests, workers, expected, maxMs } = workerData;
  const result = await runConcurrent({
    workers,
    total: requests.length,
    maxMs,
    call: async (_, i) => {
      const { url, headers, body } = requests[i];
      const response = await fetch(url, { method: 'POST', headers, body });
      const text = await response.text();
      if (response.status !== expected) throw new Error(`expected ${expected}, got ${response.status}: ${text.slice(0, 200)}`);
    },
  });
  parentPort.postMessage({ ...result, errors: result.errors.map(e => ({ message: e.message })) });
}
