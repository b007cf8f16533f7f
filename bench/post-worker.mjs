// Sends HTTP POSTs from a worker thread, so the load generator runs on its own event loop (and
// core) instead of stealing time from the server it measures. One worker serves every batch, so
// its HTTP client stays warm (JIT, keep-alive connections). Used by webhook.mjs.
// It posts with node:http over a keep-alive Agent rather than fetch: undici's fetch costs the
// client ~3× more CPU per small request, so on two shared cores a fetch client capped even a bare
// route at ~800/s (measured: 1,600/s with fetch vs 5,500/s with node:http against a bare Hono route).
import { Agent, request } from 'node:http';
import { Worker, isMainThread, parentPort } from 'node:worker_threads';
import { runConcurrent } from './load.mjs';

/**
 * `send({ requests: [{url, headers, body}], workers, expected, maxMs })` POSTs a batch; every answer
 * must be `expected`.
 */
export function startPoster() {
  const worker = new Worker(new URL(import.meta.url));
  const pending = [];
  worker.on('message', (result) => pending.shift()?.resolve(result));
  worker.on('error', (error) => {
    for (const p of pending.splice(0)) p.reject(error);
  });
  return {
    send: (job) =>
      new Promise((resolve, reject) => {
        pending.push({ resolve, reject });
        worker.postMessage(job);
      }),
    close: () => worker.terminate(),
  };
}

// One pool per origin (the Agent keys sockets by host:port); connections are reused across batches.
const agent = new Agent({ keepAlive: true });

/** POSTs `body` and resolves with the status and the response text. */
function post(url, headers, body) {
  return new Promise((resolve, reject) => {
    const payload = Buffer.from(body);
    const req = request(
      url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': payload.length } },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

if (!isMainThread) {
  parentPort.on('message', async ({ requests, workers, expected, maxMs }) => {
    const result = await runConcurrent({
      workers,
      total: requests.length,
      maxMs,
      call: async (_, i) => {
        const { url, headers, body } = requests[i];
        const { status, text } = await post(url, headers, body);
        if (status !== expected) throw new Error(`expected ${expected}, got ${status}: ${text.slice(0, 200)}`);
      },
    });
    parentPort.postMessage({ ...result, errors: result.errors.map((e) => ({ message: e.message })) });
  });
}
