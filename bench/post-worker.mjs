// Sends HTTP POSTs from a worker thread, so the load generator runs on its own event loop (and
// core) instead of stealing time from the server it measures. One worker serves every batch, so
// its HTTP client stays warm (JIT, keep-alive connections). Used by webhook.mjs.
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { runConcurrent } from './load.mjs';

/** `send({ requests: [{url, headers, body}], workers, expected, maxMs })` POSTs a batch; every answer must be `expected`. */
export function startPoster() {
  const worker = new Worker(new URL(import.meta.url));
  const pending = [];
  worker.on('message', result => pending.shift()?.resolve(result));
  worker.on('error', error => {
    for (const p of pending.splice(0)) p.reject(error);
  });
  return {
    send: job => new Promise((resolve, reject) => {
      pending.push({ resolve, reject });
      worker.postMessage(job);
    }),
    close: () => worker.terminate(),
  };
}

if (!isMainThread) {
  parentPort.on('message', async ({ requests, workers, expected, maxMs }) => {
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
  });
}
