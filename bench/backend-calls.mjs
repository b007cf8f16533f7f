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
  const ended = (request) => {
    const call = open.get(request);
    if (call) {
      call.end = performance.now();
      open.delete(request);
    }
  };
  const handlers = {
    'undici:request:create': ({ request }) =>
      started(request, `${request.method} ${request.origin}${request.path.split('?')[0]}`),
    'undici:request:trailers': ({ request }) => ended(request),
    'undici:request:error': ({ request }) => ended(request),
    'http.client.request.start': ({ request }) =>
      started(
        request,
        `${request.method} ${request.protocol}//${request.getHeader('host')}${request.path.split('?')[0]}`,
      ),
    'http.client.response.finish': ({ request }) => ended(request),
  };
  for (const [channel, handler] of Object.entries(handlers)) diagnostics.subscribe(channel, handler);
  return {
    calls,
    /** Calls with this tag (or every tagged call). */
    of: (tag) => calls.filter((c) => tag === undefined || c.tag === tag),
    reset: () => void (calls.length = 0),
    stop: () => {
      for (const [channel, handler] of Object.entries(handlers)) diagnostics.unsubscribe(channel, handler);
    },
  };
}

/**
 * Chains of calls in which each starts after the previous one ended: `depth` is the most round
 * trips waited for one after another, `ms` the longest such chain by time spent in the calls.
 * Meant for the calls of one sequential piece of work (concurrent branches interleave in time).
 */
export function sequentialChain(calls) {
  const sorted = [...calls].sort((a, b) => a.start - b.start);
  const depth = [];
  const ms = [];
  for (let i = 0; i < sorted.length; i++) {
    let bestDepth = 0;
    let bestMs = 0;
    for (let j = 0; j < i; j++) {
      if (sorted[j].end > sorted[i].start) continue;
      bestDepth = Math.max(bestDepth, depth[j]);
      bestMs = Math.max(bestMs, ms[j]);
    }
    depth[i] = bestDepth + 1;
    ms[i] = bestMs + (sorted[i].end - sorted[i].start);
  }
  return { depth: Math.max(0, ...depth), ms: Math.max(0, ...ms) };
}
