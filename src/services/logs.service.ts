/**
 * @module services/logs
 * Recent log lines of a project's pod: bounded (tail ≤ 2000 lines, ≤ 64 KiB) and with known secret
 * values redacted by the deployer. The text is the workload's own output, so callers present it
 * as untrusted data.
 */
import { invalidInput } from '../domain/errors.js';
import { validateProjectName } from '../domain/project-name.js';
import type { AppContext } from './app-context.js';

export const MAX_TAIL = 2000;
export const MAX_LOG_BYTES = 64 * 1024;

export interface LogsInput {
  project: string;
  tail?: number;
  sinceSeconds?: number;
  container?: string;
  previous?: boolean;
}

export async function projectLogs(app: AppContext, input: LogsInput): Promise<{ project: string; text: string; truncated: boolean; lines: number }> {
  const name = validateProjectName(input.project, app.config.THREESIX_RESERVED_NAMES);
  const tail = input.tail ?? 200;
  if (!Number.isInteger(tail) || tail < 1 || tail > MAX_TAIL) throw invalidInput(`tail must be an integer from 1 to ${MAX_TAIL}`);
  if (input.sinceSeconds !== undefined && (!Number.isInteger(input.sinceSeconds) || input.sinceSeconds < 1 || input.sinceSeconds > 7 * 86400)) {
    throw invalidInput('sinceSeconds must be an integer from 1 to 604800 (7 days)');
  }
  if (input.container !== undefined && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(input.container)) throw invalidInput('container must be a DNS label such as "app"');
  await app.store.projects.require(name);
  const deployer = await app.backends.deployer.get();
  const raw = await deployer.logs(name, { tail, sinceSeconds: input.sinceSeconds, container: input.container, previous: input.previous });
  const bytes = Buffer.from(raw);
  const truncated = bytes.length > MAX_LOG_BYTES;
  // Keep the newest 64 KiB, starting at a whole line.
  const kept = truncated ? bytes.subarray(bytes.length - MAX_LOG_BYTES).toString() : raw;
  const text = truncated && kept.includes('\n') ? kept.slice(kept.indexOf('\n') + 1) : kept;
  return { project: name, text, truncated, lines: text.split('\n').filter(Boolean).length };
}
