/**
 * vitest setup file: after every test file, all stand-in traffic of that file must have passed the
 * strict spec check, whether the test asserted it or not:
 * - every SpecCheck the stand-in factories created in this process (spec-check.ts registers them);
 * - every exchange a sandbox reported to this file's THREESIX_SANDBOX_EXCHANGE_LOG (exchange-log.ts),
 *   which covers `serve --sandbox` / `stdio --sandbox` children and in-process `boot({ sandbox: true })`.
 * Without the specs only the spec part is skipped (specs.ts prints the note); the tests still run.
 * The checkers (Ajv and the specs) are loaded only by files that started a stand-in.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect } from 'vitest';

const file = join(tmpdir(), `threesix-exchanges-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
// Read by exchangeLogEnv() in exchange-log.ts (THREESIX_SANDBOX_EXCHANGE_LOG).
process.env.THREESIX_SANDBOX_EXCHANGE_LOG = file;

afterAll(async () => {
  const { registeredSpecChecks } = await import('./spec-check.js');
  const inProcess = registeredSpecChecks().flatMap((check) => check.takeViolations());
  const logged = existsSync(file) ? (await import('./exchange-log.js')).checkExchangeLog(file).violations : [];
  rmSync(file, { force: true });
  expect([...inProcess, ...logged], 'stand-in exchanges that break the official API specs').toEqual([]);
});
