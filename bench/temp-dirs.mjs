// Temporary data directories for one benchmark process, removed when it ends (runIfMain).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = [];

export function tempDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'threesix-bench-'));
  made.push(dir);
  return dir;
}

export function removeTempDirs() {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}
