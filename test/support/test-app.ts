/**
 * Builds a real AppContext for tests: a migrated SQLite database (in memory unless a file is
 * given) and whichever adapter factories the test passes. No mocks of our own code.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJsonLogger } from '../../src/adapters/log/json-logger.js';
import { openSqliteStateStore } from '../../src/adapters/sqlite/sqlite-state-store.js';
import { loadConfig, type BackendName } from '../../src/config.js';
import type { AdapterFactories } from '../../src/main/adapter-factories.js';
import { composeApp } from '../../src/main/compose.js';
import type { AppContext } from '../../src/services/shared/app-context.js';

export interface TestAppOptions {
  env?: Record<string, string>;
  factories?: Partial<AdapterFactories>;
  simulated?: BackendName[];
  databaseFile?: string;
  /** As `serve` opens it: WAL checkpoints on a worker thread. */
  backgroundCheckpoints?: boolean;
  /** Collects log lines instead of writing them, so tests can assert on them. */
  logLines?: string[];
}

export function tempDir(prefix = 'threesix-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function createTestApp(options: TestAppOptions = {}): Promise<AppContext> {
  const dataDir = tempDir();
  const config = loadConfig({ THREESIX_DATA_DIR: dataDir, DEFAULT_DOMAIN: 'example.test', ...options.env });
  const lines = options.logLines;
  const logger = createJsonLogger({ level: 'debug', write: lines ? (line) => void lines.push(line) : () => undefined });
  const store = await openSqliteStateStore(options.databaseFile ?? ':memory:', {
    backgroundCheckpoints: options.backgroundCheckpoints,
  });
  return composeApp(config, logger, { store, factories: options.factories, simulated: options.simulated });
}
