/**
 * @module sandbox/kubernetes/pod-log-follow
 * `GET /api/v1/namespaces/{ns}/pods/{pod}/log?follow=true`: the log so far, then each new line as
 * the container "prints" it, in one chunked text/plain response that stays open.
 *
 * As the API server does it (kubernetes/kubernetes pkg/registry/core/pod/rest/log.go: LogREST.Get
 * returns a LocationStreamer with `Flush: logOpts.Follow`, ContentType text/plain), every write is
 * flushed to the client at once rather than buffered, and the stream ends when the container
 * stops (the pod is deleted, or the crash switch makes it exit) or the client goes away (the
 * proxied kubelet request is cancelled with the request's context). Errors before the first byte
 * (unknown pod, container waiting to start) are the same Status answers as without follow.
 */
import { podLog } from './pod-log.js';
import type { KubeController } from './kube-controller.js';
import { deploymentOfPod } from './kube-replicasets.js';
import { RESOURCES } from './kube-resources.js';
import type { KubeStore } from './kube-store.js';
import type { Pod } from './kube-objects.js';

/** How often a running sandbox container serves a request and logs it. */
export const FOLLOW_LINE_MS = 400;

let open = 0;

/** Follow streams still open in this process: tests check that a cancelled follow closed its stream. */
export function openFollowStreams(): number {
  return open;
}

export interface FollowOptions {
  tail?: number;
  container?: string;
  /** Aborted when the client disconnects. */
  signal?: AbortSignal;
  lineMs?: number;
}

export function followPodLog(pod: Pod, store: KubeStore, controller: KubeController, options: FollowOptions): Response {
  // Throws the Status error before anything is sent, as without follow.
  const first = podLog(pod, store, controller, { tail: options.tail, container: options.container });
  const { namespace, name, uid } = pod.metadata;
  const encoder = new TextEncoder();
  let timer: NodeJS.Timeout | undefined;
  let served = 0;
  let closed = false;
  const stop = () => {
    clearInterval(timer);
    if (!closed) open -= 1;
    closed = true;
  };
  const body = new ReadableStream<Uint8Array>({
    start(stream) {
      open += 1;
      stream.enqueue(encoder.encode(first));
      const end = () => {
        stop();
        try {
          stream.close();
        } catch {
          // already closed by a cancel
        }
      };
      const alive = () => {
        const current = store.find(RESOURCES.pods, namespace, name);
        const owner = current ? deploymentOfPod(store, current)?.metadata.name : undefined;
        return Boolean(current && current.metadata.uid === uid && !(owner && controller.crashing.has(owner)));
      };
      if (!alive()) return end();
      timer = setInterval(() => {
        if (options.signal?.aborted || !alive()) return end();
        served += 1;
        stream.enqueue(encoder.encode(`GET /?n=${served} 200 ${(0.8 + (served % 7) * 0.3).toFixed(1)}ms\n`));
      }, options.lineMs ?? FOLLOW_LINE_MS);
      options.signal?.addEventListener('abort', end, { once: true });
    },
    cancel: stop,
  });
  // No content-length: Node sends it chunked.
  return new Response(body, { headers: { 'content-type': 'text/plain' } });
}
