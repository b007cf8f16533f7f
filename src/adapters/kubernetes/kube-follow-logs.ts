/**
 * @module adapters/kubernetes/kube-follow-logs
 * Follows one container's log with client-node's `Log` class (`GET .../pods/{pod}/log?follow=true`,
 * one chunked response the API server flushes line by line) and hands on whole lines with known
 * secret values redacted. The caller's AbortSignal aborts the HTTP request.
 */
import { Writable } from 'node:stream';
import { Log, type KubeConfig } from '@kubernetes/client-node';
import { redactSecrets } from '../../domain/redact-secrets.js';
import type { FollowLogsOptions } from '../../ports/deployer.port.js';
import { statusCode, translateKubeError } from './kube-errors.js';

export interface FollowTarget {
  namespace: string;
  pod: string;
  container: string;
  /** Secret values to redact (the project's env Secret). */
  secrets: string[];
}

/** Resolves when the stream ends (the container stopped) or `options.signal` aborted it. */
export async function followContainerLog(
  kc: KubeConfig,
  target: FollowTarget,
  options: FollowLogsOptions,
): Promise<void> {
  if (options.signal.aborted) return;
  let partial = '';
  let closed = false;
  const emit = (text: string) => {
    if (text && !closed) options.onText(redactSecrets(text, target.secrets));
  };
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      partial += chunk.toString();
      // Only whole lines: a secret split across two chunks is still redacted.
      const cut = partial.lastIndexOf('\n') + 1;
      emit(partial.slice(0, cut));
      partial = partial.slice(cut);
      callback();
    },
    final(callback) {
      emit(partial && `${partial}\n`);
      partial = '';
      callback();
    },
  });
  // node-fetch emits the abort as an 'error' on the response body it pipes here; without a
  // listener on that body the error would be thrown out of the abort and end the process.
  sink.on('pipe', (source) => source.on('error', () => finished()));
  sink.on('finish', () => finished());
  sink.on('error', () => finished());
  let request: AbortController;
  try {
    request = await new Log(kc).log(target.namespace, target.pod, target.container, sink, {
      follow: true,
      tailLines: options.tail,
      sinceSeconds: options.sinceSeconds,
    });
  } catch (error) {
    // 400: the container is waiting to start (image pull, ContainerCreating); there is no log yet.
    if (statusCode(error) === 400) return emit(`[pod ${target.pod} has no logs yet: its container is not running]\n`);
    throw translateKubeError(error, 'following logs');
  }
  const abort = () => request.abort();
  if (options.signal.aborted) abort();
  else options.signal.addEventListener('abort', abort, { once: true });
  options.signal.addEventListener('abort', () => finished(), { once: true });
  await done;
  options.signal.removeEventListener('abort', abort);
  // Lines already received before an abort are still handed on.
  if (partial) emit(`${partial}\n`);
  closed = true;
}
