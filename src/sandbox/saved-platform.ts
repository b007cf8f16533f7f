/**
 * @module sandbox/saved-platform
 * THREESIX_DATA_DIR/sandbox/platform.json: for each stand-in, the loopback port it bound and the
 * variables it handed out (URLs, sandbox tokens), so the next start on that data dir reuses them.
 * The tokens guard nothing real, but the file is written owner-only all the same.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendName } from '../config.js';

export interface SavedStandIn {
  port: number;
  env: Record<string, string>;
}

export type SavedPlatform = Partial<Record<BackendName, SavedStandIn>>;

const FILE = 'platform.json';

export function readSavedPlatform(root: string): SavedPlatform {
  const file = join(root, FILE);
  if (!existsSync(file)) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    parsed = undefined;
  }
  if (!isSavedPlatform(parsed)) {
    // Guessing would hand out new ports while stored URLs name the old ones: say so instead.
    throw new Error(
      `${file} is not a saved sandbox platform; fix it, or delete it to choose new ports and sandbox tokens`,
    );
  }
  return parsed;
}

export function writeSavedPlatform(root: string, platform: SavedPlatform): void {
  const file = join(root, FILE);
  // Written aside and renamed, so a crash mid-write never leaves a half file that blocks the next start.
  writeFileSync(`${file}.tmp`, `${JSON.stringify(platform, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function isSavedStandIn(entry: unknown): entry is SavedStandIn {
  if (!isRecord(entry)) return false;
  const { port, env } = entry;
  return (
    typeof port === 'number' &&
    Number.isInteger(port) &&
    port > 0 &&
    port < 65536 &&
    isRecord(env) &&
    Object.values(env).every((v) => typeof v === 'string')
  );
}

function isSavedPlatform(value: unknown): value is SavedPlatform {
  return isRecord(value) && !Array.isArray(value) && Object.values(value).every(isSavedStandIn);
}
