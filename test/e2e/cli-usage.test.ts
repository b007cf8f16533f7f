/**
 * The command line as a person meets it: a wrong command or option says what is wrong, shows the
 * usage on stderr (stdout stays empty: it may be a protocol pipe) and exits 2.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runBuiltCli } from '../support/sandbox-cli.js';
import { tempDir } from '../support/test-app.js';

const run = (...args: string[]) => runBuiltCli(args, { PATH: process.env.PATH ?? '', THREESIX_DATA_DIR: tempDir() });

describe('threesix-mcp usage errors (built CLI)', () => {
  beforeAll(() => ensureBuilt());

  it.each([
    [['deploy'], 'unknown command "deploy"'],
    [['platform', 'certs'], 'unknown platform command "certs"'],
    [['serve', '--prot', '80'], "Unknown option '--prot'"],
  ])('%j: names the problem, prints the usage on stderr, exits 2', async (args, problem) => {
    const { code, stdout, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(problem);
    expect(stderr).toMatch(/Usage:\n\s+threesix-mcp stdio/);
  });

  it('prints the usage for --help and exits 0', async () => {
    const { code, stderr } = await run('--help');
    expect(code).toBe(0);
    expect(stderr).toContain('threesix-mcp platform dns [--apply]');
  });
});
