/**
 * vitest setup file: after every test file, all stand-in traffic of that file must have passed the
 * strict spec check, whether the test asserted it or not:
 * - every SpecCheck the stand-in factories created in this process (spec-check.ts registers them);
 * - every exchange a sandbox reported to this file's THREESIX_SANDBOX_EXCHANGE_LOG (exchange-log.ts),
 *   which covers `serve --sandbox` / `stdio --sandbox` children and in-process `boot({ sandbox: true })`.
 * Without the specs only the spec part is skipped (specs.ts prints the note); the tests still run.
 */
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, expect } from 'vitest';
import { checkExchangeLog, EXCHANGE_LOG_VARIABLE } from './exchange-log.js';
import { registeredSpecChecks } from './spec-check.js';

const file = join(tmpdir(), `threesix-exchanges-${process.pid}-${randomBytes(4).toString('hex')}.jsonl`);
process.env[EXCHANGE_LOG_VARIABLE] = file;

afterAll(() => {
  const logged = checkExchangeLog(file);
  rmSync(file, { force: true });
  const inProcess = registeredSpecChecks().flatMap(check => check.takeViolations());
  expect([...inProcess, ...logged.violations], 'stand-in exchanges that break the official API specs').toEqual([]);
});
