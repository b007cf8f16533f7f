/**
 * How the Woodpecker stand-in reads a step's commands: Woodpecker's config-time substitution, then
 * a small sh subset interpreted without running anything. Where the subset is harmless to run, the
 * same script also runs under the real `/bin/sh -e` and both must agree (exit code and output);
 * anything outside the subset is refused, never run.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { performCurl } from '../../src/sandbox/woodpecker/curl-transfer.js';
import { curlRequest, substituteConfig } from '../../src/sandbox/woodpecker/step-command.js';
import { runStepScript } from '../../src/sandbox/woodpecker/step-script.js';
import { tempDir } from '../support/test-app.js';

const run = promisify(execFile);

async function realShell(script: string, env: Record<string, string>): Promise<{ exitCode: number; log: string[] }> {
  const result = await run('/bin/sh', ['-e', '-c', script], { env: { PATH: process.env.PATH!, ...env } }).then(
    (r) => ({ code: 0, stdout: r.stdout }),
    (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
  );
  return { exitCode: result.code, log: result.stdout.split('\n').filter(Boolean) };
}

const noNetwork = () => Promise.reject(new Error('no curl in this script'));

describe('Woodpecker stand-in step commands', () => {
  it('substitutes like Woodpecker at parse time: ${VAR} from CI, $$ escapes, bare $VAR left to the shell', () => {
    expect(substituteConfig('a ${CI_COMMIT_SHA} $${DEPLOY_TOKEN} $${CI_REPO} $code', { CI_COMMIT_SHA: 'abc' })).toBe(
      'a abc ${DEPLOY_TOKEN} ${CI_REPO} $code',
    );
  });

  it.each([
    ['quotes, escapes and expansion', `echo "Bearer \${T}" '$T' "{\\"a\\":\\"$X\\"}" x\\ y`],
    ['a failing command ends the step (sh -e)', 'echo one\nfalse\necho never'],
    ['a failure inside && is ignored', 'false && echo no\necho after'],
    ['|| runs on failure and exit keeps its status', 'x=$(false) || echo "status $?"\necho after'],
    ['exit without a number keeps the last status', 'false || exit'],
    ['a case ending on an ignored failure does not exit', 'case "$X" in\n  x1) false && exit 0 ;;\nesac\necho after'],
    [
      'case patterns with ? and * and |',
      'case "202" in\n  2??) echo two ;;\n  *) echo other ;;\nesac\ncase "409" in 2??|3??) echo no ;; 4*) echo four ;; esac',
    ],
    ['an assignment from a failing substitution ends the step', 'x=$(false)\necho never'],
    ['line continuations', 'echo a \\\n  b'],
  ])('agrees with /bin/sh -e: %s', async (_, script) => {
    const env = { T: 'tok', X: 'x1' };
    const simulated = await runStepScript([script], env, noNetwork);
    expect(simulated).toEqual(await realShell(script, env));
  });

  it("keeps variables across a step's commands (one shell, as Woodpecker runs them)", async () => {
    expect(await runStepScript(['x=kept', 'echo "$x"'], {}, noNetwork)).toEqual({ exitCode: 0, log: ['kept'] });
  });

  it('turns a curl line into the request it makes', () => {
    expect(
      curlRequest([
        'curl',
        '-sS',
        '--retry',
        '5',
        '--retry-connrefused',
        '--max-time',
        '20',
        '-o',
        '/tmp/out',
        '-w',
        '%{http_code}',
        '-X',
        'POST',
        '-H',
        'Content-Type: application/json',
        '-d',
        '{}',
        'https://t.example/w',
      ]),
    ).toEqual({
      method: 'POST',
      url: 'https://t.example/w',
      headers: { 'content-type': 'application/json' },
      body: '{}',
      failOnError: false,
      retries: 5,
      retryConnRefused: true,
      output: '/tmp/out',
      writeOut: '%{http_code}',
      showErrors: true,
    });
  });

  it('writes curl -o only to memory, never to disk', async () => {
    const path = join(tempDir('threesix-step-'), 'written');
    const result = await runStepScript(
      [`code=$(curl -s -o ${path} -w '%{http_code}' http://127.0.0.1:9/x) || echo "curl $? $code"`],
      {},
      performCurl,
    );
    expect(result).toEqual({ exitCode: 0, log: ['curl 7 000'] });
    expect(existsSync(path)).toBe(false);
  });

  it.each([
    ['another program', 'rm -rf /'],
    ['a command chain to another program', 'curl http://h/x; rm -rf /'],
    ['command substitution of another program', 'curl http://h/$(id)'],
    ['a pipe', 'echo x | sh'],
    ['a redirection', 'echo x > /tmp/x'],
    ['a background job', 'curl http://h/x &'],
    ['backticks', 'echo `id`'],
    ['an if', 'if true; then echo x; fi'],
    ['an option curl is not simulated for', 'curl -K /etc/passwd http://h/x'],
    ['a -w variable other than http_code', "curl -w '%{url_effective}' http://h/x"],
  ])('refuses %s before anything runs', async (_, command) => {
    let transfers = 0;
    const counting = () => {
      transfers += 1;
      return Promise.resolve({ exitCode: 0, status: 200, body: '' });
    };
    await expect(runStepScript([command], {}, counting)).rejects.toThrow(/not simulated|expected/);
    expect(transfers).toBe(0);
  });
});
