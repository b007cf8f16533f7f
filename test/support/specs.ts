/**
 * Where the official API specifications live. When the directory is absent (a fresh clone elsewhere)
 * only the spec checks are skipped, with one note per run; CI always has it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SPECS_DIR = resolve(
  process.env.THREESIX_SPECS_DIR ?? resolve(import.meta.dirname, '../../../shared/specs'),
);
/**
 * Every specification file the checks read. The specs count as present only when all of them are
 * there: an empty or partial directory (THREESIX_SPECS_DIR pointed at a fresh temp dir, a copy cut
 * short) skips the checks with the note, instead of crashing the suites that start stand-ins.
 */
export const SPEC_FILES = [
  'gitea/swagger.v1.json',
  'cloudflare/dns-records.openapi.json',
  'woodpecker/swagger.json',
  'woodpecker/ci-environment-variables.json',
  'kubernetes/api__v1_openapi.json',
  'kubernetes/apis__apps__v1_openapi.json',
  'kubernetes/apis__networking.k8s.io__v1_openapi.json',
  'cloudnative-pg/postgresql.cnpg.io_clusters.yaml',
  'cloudnative-pg/postgresql.cnpg.io_scheduledbackups.yaml',
] as const;

export const SPECS_PRESENT = SPEC_FILES.every((file) => existsSync(resolve(SPECS_DIR, file)));

/** The one visible note for a run without specs (printed once, by vitest's global setup: specs-note.ts). */
export const SPECS_ABSENT_NOTE = `\n[threesix tests] NOTE: API specs not found (or incomplete) at ${SPECS_DIR}; spec validation of the stand-ins is SKIPPED (the suites still run). Set THREESIX_SPECS_DIR to run it.\n\n`;

const cache = new Map<string, unknown>();

export function loadSpec(relativePath: string): Record<string, unknown> {
  const file = resolve(SPECS_DIR, relativePath);
  if (!cache.has(file)) cache.set(file, JSON.parse(readFileSync(file, 'utf8')));
  return cache.get(file) as Record<string, unknown>;
}
