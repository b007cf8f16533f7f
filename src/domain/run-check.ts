/**
 * @module domain/run-check
 * One row of a `doctor` report: runs a check and turns its failure into safe text. Adapters'
 * diagnose() use it so no raw upstream error ever lands in the report.
 */
import { isDomainError } from './errors.js';

export interface CheckRow {
  check: string;
  ok: boolean;
  detail: string;
}

export async function runCheck(check: string, fn: () => Promise<string>): Promise<CheckRow> {
  try {
    return { check, ok: true, detail: await fn() };
  } catch (error) {
    return { check, ok: false, detail: isDomainError(error) ? error.toText() : 'unexpected failure' };
  }
}
