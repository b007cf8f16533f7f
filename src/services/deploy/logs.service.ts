/**
 * @module services/logs
 * Log lines of a project's pod: bounded (tail ≤ 2000 lines, ≤ 64 KiB) and with known secret values
 * redacted by the deployer. The text is the workload's own output, so callers present it as
 * untrusted data.
 *
 * With `follow`, the pod's log is streamed for a bounded time (default 30 s, at most 120 s): new
 * text goes to `onText` as it arrives (the tool sends it as progress notifications), batched to at
 * most a few deliveries a second, and the whole text, bounded as above, is returned at the end. The
 * caller's signal (a cancelled tool call) ends the stream early and closes the HTTP request.
 */
import { invalidInput } from '../../domain/errors.js';
import { validateProjectName } from '../../domain/project-name.js';
import type { AppContext } from '../shared/app-context.js';

export const MAX_TAIL = 2000;
export const MAX_LOG_BYTES = 64 * 1024;
export const FOLLOW_DEFAULT_S = 30;
export const FOLLOW_MAX_S = 120;
/** Followed text is handed on at most this often, so a chatty pod cannot flood the client. */
const DELIVERY_MS = 200;

export interface LogsInput {
  project: string;
  tail?: number;
  sinceSeconds?: number;
  container?: string;
  previous?: boolean;
  follow?: boolean;
  /** With follow: how long to follow. */
  seconds?: number;
}

export interface FollowHooks {
  /** Aborts the follow (the client cancelled). */
  signal: AbortSignal;
  /** New redacted text, whole lines; `lines` counts every line delivered so far. */
  onText(text: string, lines: number): void | Promise<void>;
}

export interface ProjectLogs {
  project: string;
  text: string;
  truncated: boolean;
  lines: number;
  /** Present when followed: for how long, and why it stopped. */
  followed?: { seconds: number; endedBy: 'time' | 'cancelled' | 'stream-end' };
}

export async function projectLogs(app: AppContext, input: LogsInput, hooks?: FollowHooks): Promise<ProjectLogs> {
  const name = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  const tail = input.tail ?? 200;
  if (!Number.isInteger(tail) || tail < 1 || tail > MAX_TAIL)
    throw invalidInput(`tail must be an integer from 1 to ${MAX_TAIL}`);
  if (
    input.sinceSeconds !== undefined &&
    (!Number.isInteger(input.sinceSeconds) || input.sinceSeconds < 1 || input.sinceSeconds > 7 * 86400)
  ) {
    throw invalidInput('sinceSeconds must be an integer from 1 to 604800 (7 days)');
  }
  if (input.container !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(input.container))
    throw invalidInput('container must be a DNS label such as "app"');
  if (input.seconds !== undefined && !input.follow)
    throw invalidInput('seconds applies only with follow: true', 'Add follow: true, or leave seconds out');
  if (input.follow) {
    const seconds = input.seconds ?? FOLLOW_DEFAULT_S;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > FOLLOW_MAX_S)
      throw invalidInput(`seconds must be an integer from 1 to ${FOLLOW_MAX_S}`);
    if (input.previous)
      throw invalidInput(
        'previous cannot be followed: that container has stopped',
        "Leave out follow to read the previous container's log",
      );
  }
  await app.store.projects.require(name);
  const deployer = await app.backends.deployer.get();
  if (input.follow) return followLogs(app, name, { ...input, tail, seconds: input.seconds ?? FOLLOW_DEFAULT_S }, hooks);
  const raw = await deployer.logs(name, {
    tail,
    sinceSeconds: input.sinceSeconds,
    container: input.container,
    previous: input.previous,
  });
  return { project: name, ...bounded(raw) };
}

async function followLogs(
  app: AppContext,
  name: string,
  input: LogsInput & { tail: number; seconds: number },
  hooks?: FollowHooks,
): Promise<ProjectLogs> {
  const deployer = await app.backends.deployer.get();
  const timeUp = new AbortController();
  const timer = setTimeout(() => timeUp.abort(), input.seconds * 1000);
  const cancelled = hooks?.signal ?? new AbortController().signal;
  const signal = AbortSignal.any([cancelled, timeUp.signal]);
  const started = Date.now();
  let collected = '';
  let pending = '';
  let lines = 0;
  let flushTimer: NodeJS.Timeout | undefined;
  // Deliveries in order, and all of them before the result.
  let delivered: Promise<void> = Promise.resolve();
  const flush = () => {
    flushTimer = undefined;
    if (!pending || !hooks) return;
    const text = pending;
    const count = lines;
    pending = '';
    delivered = delivered
      .then(() => hooks.onText(text, count))
      .catch((error) => app.logger.warn('logs: delivering followed lines failed', { err: error }));
  };
  try {
    await deployer.followLogs(name, {
      tail: input.tail,
      sinceSeconds: input.sinceSeconds,
      container: input.container,
      signal,
      onText: (text) => {
        // Only the newest part is ever returned: keep memory bounded however long it runs.
        collected = keepNewest(collected + text, 2 * MAX_LOG_BYTES);
        pending += text;
        lines += text.split('\n').length - 1;
        flushTimer ??= setTimeout(flush, DELIVERY_MS);
      },
    });
  } finally {
    clearTimeout(timer);
    clearTimeout(flushTimer);
    flush();
    await delivered;
  }
  const endedBy = cancelled.aborted ? 'cancelled' : timeUp.signal.aborted ? 'time' : 'stream-end';
  return {
    project: name,
    ...bounded(collected),
    followed: { seconds: Math.round((Date.now() - started) / 100) / 10, endedBy },
  };
}

function keepNewest(text: string, bytes: number): string {
  return text.length > bytes ? text.slice(text.length - bytes) : text;
}

/** The newest 64 KiB, starting at a whole line. */
function bounded(raw: string): { text: string; truncated: boolean; lines: number } {
  const all = Buffer.from(raw);
  const truncated = all.length > MAX_LOG_BYTES;
  const kept = truncated ? all.subarray(all.length - MAX_LOG_BYTES).toString() : raw;
  const text = truncated && kept.includes('\n') ? kept.slice(kept.indexOf('\n') + 1) : kept;
  return { text, truncated, lines: text.split('\n').filter(Boolean).length };
}
