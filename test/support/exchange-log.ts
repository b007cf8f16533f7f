/**
 * Checks the exchanges a sandbox reported through THREESIX_SANDBOX_EXCHANGE_LOG (a `serve --sandbox`
 * or `stdio --sandbox` child, or `boot({ sandbox: true })` in this process) with the same strict
 * spec check the in-process stand-ins use. The setup file (spec-check-setup.ts) gives each test
 * file its own log and checks it after the file's last test; `exchangeLogEnv()` is what a helper
 * that starts a sandbox adds to its environment.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Exchange } from '../../src/sandbox/exchange.js';
import { createSpecCheck, type SpecBackend, type SpecCheck } from './spec-check.js';

/** The sandbox's backend names and the spec each stand-in speaks. */
const SPEC_OF: Record<string, SpecBackend> = {
  git: 'gitea',
  dns: 'cloudflare',
  registry: 'registry',
  deployer: 'kubernetes',
  ci: 'woodpecker',
};

export const EXCHANGE_LOG_VARIABLE = 'THREESIX_SANDBOX_EXCHANGE_LOG';

/** The environment that makes a sandbox report to this test file's log (empty outside vitest's setup). */
export function exchangeLogEnv(): Record<string, string> {
  const file = process.env[EXCHANGE_LOG_VARIABLE];
  return file ? { [EXCHANGE_LOG_VARIABLE]: file } : {};
}

export interface ExchangeLogReport {
  /** Exchanges per backend. */
  observed: Record<string, number>;
  violations: string[];
}

export function checkExchangeLog(file: string): ExchangeLogReport {
  const report: ExchangeLogReport = { observed: {}, violations: [] };
  if (!existsSync(file)) return report;
  const checks = new Map<string, SpecCheck>();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { backend, ...exchange } = JSON.parse(line) as Exchange & { backend: string };
    report.observed[backend] = (report.observed[backend] ?? 0) + 1;
    const spec = SPEC_OF[backend];
    if (!spec) {
      report.violations.push(
        `${backend}: no spec check is known for this stand-in (${exchange.method} ${exchange.path})`,
      );
      continue;
    }
    if (!checks.has(backend)) checks.set(backend, createSpecCheck(spec, { register: false }));
    checks.get(backend)!.observe(exchange);
  }
  for (const check of checks.values()) report.violations.push(...check.violations());
  return report;
}
