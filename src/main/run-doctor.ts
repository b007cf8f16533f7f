/**
 * @module main/run-doctor
 * `threesix-mcp doctor`: configuration and, per configured backend, reachability. Prints a table
 * to stdout (doctor is not an MCP mode) and returns the exit code.
 */
import { boot } from './boot.js';

export async function runDoctor(): Promise<number> {
  const booted = await boot({ sandbox: false });
  const rows: Array<[string, string, string]> = [['database', 'ok', booted.config.databaseFile]];
  let problems = 0;
  for (const [name, slot] of Object.entries(booted.app.backends)) {
    if (slot.info.mode === 'none') {
      rows.push([name, 'not configured', 'set its variables (see README)']);
      continue;
    }
    try {
      const port = await slot.get();
      await port.probe();
      rows.push([name, 'ok', slot.info.endpoint ?? slot.info.provider ?? '']);
    } catch (error) {
      problems++;
      rows.push([name, 'FAIL', (error as { code?: string; message?: string }).code ?? 'error']);
    }
  }
  const width = [0, 1, 2].map(i => Math.max(...rows.map(r => r[i]!.length)));
  for (const row of rows) process.stdout.write(`${row.map((cell, i) => cell.padEnd(width[i]!)).join('  ')}\n`);
  await booted.shutdown();
  return problems > 0 ? 1 : 0;
}
