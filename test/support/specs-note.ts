/**
 * vitest global setup: runs once per `vitest run`, so a run without the API specs says so once
 * instead of once per test file.
 */
import { SPECS_ABSENT_NOTE, SPECS_PRESENT } from './specs.js';

export default function announceMissingSpecs(): void {
  if (!SPECS_PRESENT) process.stderr.write(SPECS_ABSENT_NOTE);
}
