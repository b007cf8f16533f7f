/**
 * The smoke check's last step on a real zone: the live URL must serve the page that was pushed
 * (its random marker), retried until the timeout; in a special-use zone it says why it cannot fetch.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createSmokeReport } from '../../src/main/smoke-report.js';
import { isSpecialUseZone, smokeSteps } from '../../src/main/smoke-steps.js';

const unused = () => Promise.reject(new Error('the live URL step calls no tool'));

describe('smoke: live URL', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function site(body: () => string): Promise<string> {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(body()));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }

  function steps(lines: string[], timeoutMs: number) {
    return smokeSteps({
      call: unused,
      report: createSmokeReport((text) => void lines.push(text), []),
      gitToken: 'unused',
      timeoutMs,
      pollMs: 10,
    });
  }

  it('passes once the site serves the pushed page, after answering the old one', async () => {
    let calls = 0;
    const url = await site(() => (++calls < 2 ? '<p>starter page</p>' : '<p>threesix-smoke-abc</p>'));
    const lines: string[] = [];
    await steps(lines, 10_000).checkLiveUrl(
      { project: 'p', cloneHttp: '', url },
      { sha: 'f'.repeat(40), marker: 'threesix-smoke-abc' },
    );
    expect(calls).toBe(2);
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^ok\\s+\\d+\\.\\d\\d s  live URL: ${url} answered 200 with the pushed page\\n$`),
      ),
    ]);
  });

  it('fails with the last answer when the pushed page never comes', async () => {
    const url = await site(() => '<p>starter page</p>');
    const lines: string[] = [];
    const check = steps(lines, 50).checkLiveUrl(
      { project: 'p', cloneHttp: '', url },
      { sha: 'f'.repeat(40), marker: 'threesix-smoke-abc' },
    );
    await expect(check).rejects.toThrow(
      `${url} did not serve the pushed page within 0 s (last: 200, but not the pushed page)`,
    );
    expect(lines[0]).toMatch(/^FAIL /);
  });

  it('skips, saying why, in a special-use zone', async () => {
    const lines: string[] = [];
    await steps(lines, 50).checkLiveUrl(
      { project: 'p', cloneHttp: '', url: 'https://p.threesix.local' },
      { sha: 'f'.repeat(40), marker: 'x' },
    );
    expect(lines[0]).toMatch(/^skip .*live URL: p\.threesix\.local is in a special-use zone no resolver answers for/);
  });

  it.each([
    ['threesix.local', true],
    ['p.example.test', true],
    ['example', true],
    ['lab.home.arpa', true],
    ['threesix.example.com', false],
    ['notlocal', false],
    ['127.0.0.1', false],
  ])('%s is special-use: %s', (zone, expected) => {
    expect(isSpecialUseZone(zone)).toBe(expected);
  });
});
