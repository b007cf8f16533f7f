/**
 * How the Woodpecker stand-in reads a step's command: only a curl call it fully understands, never
 * anything else (it runs nothing from a repository).
 */
import { describe, expect, it } from 'vitest';
import { curlRequest, shellWords, substituteConfig } from '../../src/sandbox/woodpecker/step-command.js';

describe('Woodpecker stand-in step commands', () => {
  it('substitutes like Woodpecker at parse time: ${VAR} from CI, $$ escapes', () => {
    expect(substituteConfig('a ${CI_COMMIT_SHA} $${DEPLOY_TOKEN} $${CI_REPO}', { CI_COMMIT_SHA: 'abc' })).toBe('a abc ${DEPLOY_TOKEN} ${CI_REPO}');
  });

  it('splits and expands like a shell, quotes and escapes included', () => {
    expect(shellWords(`curl -H "Authorization: Bearer \${T}" -d "{\\"a\\":\\"$X\\"}" 'lit $T' http://h/x`, { T: 'tok', X: 'x1' })).toEqual([
      'curl', '-H', 'Authorization: Bearer tok', '-d', '{"a":"x1"}', 'lit $T', 'http://h/x',
    ]);
  });

  it('turns a curl line into the request it makes', () => {
    expect(curlRequest(['curl', '-fsS', '--retry', '5', '--retry-connrefused', '--max-time', '20', '-X', 'POST', '-H', 'Content-Type: application/json', '-d', '{}', 'https://t.example/w'])).toEqual({
      method: 'POST', url: 'https://t.example/w', headers: { 'content-type': 'application/json' }, body: '{}', failOnError: true, retries: 5,
    });
  });

  it.each([
    ['another program', 'rm -rf /'],
    ['a command chain', 'curl http://h/x; rm -rf /'],
    ['command substitution', 'curl http://h/$(id)'],
    ['an option it does not model', 'curl -o /etc/passwd http://h/x'],
  ])('refuses %s', (_, command) => {
    expect(() => curlRequest(shellWords(command, {}))).toThrow();
  });
});
