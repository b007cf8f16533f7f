/**
 * Where the official API specifications live. When the directory is absent (a fresh clone elsewhere)
 * only the spec checks are skipped, with one note per run; CI always has it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SPECS_DIR = resolve(process.env.THREESIX_SPECS_DIR ?? resolve(import.meta.dirname, '../../../shared/specs'));
export const SPECS_PRESENT = existsSync(SPECS_DIR);

/** The one visible note for a run without specs (printed once, by vitest's global setup: specs-note.ts). */
export const SPECS_ABSENT_NOTE = `\n[threesix tests] NOTE: API specs not found at ${SPECS_DIR}; spec validation of the stand-ins is SKIPPED (the suites still run). Set THREESIX_SPECS_DIR to run it.\n\n`;

const cache = new Map<string, unknown>();

export function loadSpec(relativePath: string): Record<string, unknown> {
  const file = resolve(SPECS_DIR, relativePath);
  if (!cache.has(file)) cache.set(file, JSON.parse(readFileSync(file, 'utf8')));
  return cache.get(file) as Record<string, unknown>;
}
