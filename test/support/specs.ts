/**
 * Where the official API specifications live. Tests that validate stand-ins against them skip,
 * visibly, when the directory is absent (a fresh clone elsewhere); CI always has it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SPECS_DIR = resolve(process.env.THREESIX_SPECS_DIR ?? resolve(import.meta.dirname, '../../../shared/specs'));
export const SPECS_PRESENT = existsSync(SPECS_DIR);

if (!SPECS_PRESENT) {
  process.stderr.write(`\n[threesix tests] NOTE: API specs not found at ${SPECS_DIR}; spec validation of the stand-ins is SKIPPED. Set THREESIX_SPECS_DIR to run it.\n\n`);
}

const cache = new Map<string, unknown>();

export function loadSpec(relativePath: string): Record<string, unknown> {
  const file = resolve(SPECS_DIR, relativePath);
  if (!cache.has(file)) cache.set(file, JSON.parse(readFileSync(file, 'utf8')));
  return cache.get(file) as Record<string, unknown>;
}
