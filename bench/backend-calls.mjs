// Counts the HTTP calls this process makes to the backends (the stand-ins on loopback), with their
// start and end times, through Node's diagnostics channels: undici for fetch, node:http for the
// rest. A call is tagged with the `tagged()` scope it was made in, so calls a stand-in makes to
// another stand-in (a simulated pipeline, a push hook) are untagged and left out of the counts.
import { AsyncLocalStorage } from 'node:async_hooks';
import diagnostics from 'node:diagnostics_channel';

const scope = new AsyncLocalStorage();

export function tagged(tag, fn) {
  return scope.run(tag, fn);
}

export function traceBackendCalls() {
  const open = new Map();
  const calls = [];
  const started = (request, target) => {
    const tag = scope.getStore();
    if (tag === undefined) return;
    const call = { tag, target, start: performance.now(), end: NaN };
    open.set(request, call);
    calls.push(call);
  };
  const ended = request => {
    const call = open.get(request);
    if (call) {
      call.end = performance.now();
      open.delete(request);
    }
  };
  const handlers = {
    'undici:request:create': ({ request }) => started(request, `${request.method} ${request.origin}${request.path.split('?')[0]}`),
    'undici:request:trailers': ({ request }) => ended(request),
    'undici:request:error': ({ request }) => ended(request),
    'http.client.request.start': ({ request }) => started(request, `${request.method} ${request.host}${request.path.split('?')[0]}`),
    'http.client.response.finish': ({ request }) => ended(request),
  };
  for (const [channel, handler] of Object.entries(handlers)) diagnostics.subscribe(channel, handler);
  return {
    calls,
    /** Calls with this tag (or every tagged call). */
    of: tag => calls.filter(c => tag === undefined || c.tag === tag),
    reset: () => void (calls.length = 0),
    stop: () => {
      for (const [channel, handler] of Object.entries(handlers)) diagnostics.unsubscribe(channel, handler);
    },
  };
}

/**
 * The longest chain of calls in which each starts after the previous one ended: how many backend
 * round trips the work waited for one after another, however many calls ran beside them.
 */
export function sequentialDepth(calls) {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth = [];
  let max = 0;
  for (let i = 0; i < sorted.length; i++) {
    let best = 0;
    for (let j = 0; j < i; j++) if (sorted[j].end <= sorted[i].start && depth[j] > best) best = depth[j];
    depth[i] = best + 1;
    max = Math.max(max, depth[i]);
  }
  return max;
}
