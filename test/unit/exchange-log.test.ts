/**
 * THREESIX_SANDBOX_EXCHANGE_LOG end to end in one process: startSandbox reports every stand-in's
 * exchanges to the log (without the stand-in passing anything on), secret values never reach the
 * file, and the log is checked with the same strict spec check as the in-process stand-ins.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/adapters/log/json-logger.js';
import { loadConfig } from '../../src/config.js';
import { cloudflareStandIn } from '../../src/sandbox/cloudflare/cloudflare-stand-in.js';
import { redactExchange } from '../../src/sandbox/exchange-log.js';
import { startSandbox } from '../../src/sandbox/start-sandbox.js';
import { checkExchangeLog } from '../support/exchange-log.js';
import { SPECS_PRESENT } from '../support/specs.js';
import { tempDir } from '../support/test-app.js';

describe('sandbox exchange log', () => {
  it('gets every exchange of a stand-in startSandbox starts, and the strict check reads it', async () => {
    const log = join(tempDir(), 'exchanges.jsonl');
    const config = loadConfig({
      THREESIX_DATA_DIR: tempDir(),
      DEFAULT_DOMAIN: 'log.test',
      THREESIX_SANDBOX_EXCHANGE_LOG: log,
    });
    const sandbox = await startSandbox(
      config,
      [cloudflareStandIn],
      createJsonLogger({ level: 'error', write: () => undefined }),
    );
    try {
      const api = sandbox.env.CLOUDFLARE_API_URL!;
      const headers = {
        authorization: `Bearer ${sandbox.env.CLOUDFLARE_API_TOKEN}`,
        'content-type': 'application/json',
      };
      expect(
        (await fetch(`${api}/zones/${sandbox.env.CLOUDFLARE_ZONE_ID}/dns_records?per_page=5`, { headers })).status,
      ).toBe(200);
      await fetch(`${api}/zones/${sandbox.env.CLOUDFLARE_ZONE_ID}/dns_records?per_pgae=5`, { headers });
    } finally {
      await sandbox.stop();
    }
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { backend: string; query: string });
    expect(lines.map((l) => [l.backend, l.query])).toEqual([
      ['dns', '?per_page=5'],
      ['dns', '?per_pgae=5'],
    ]);
    const report = checkExchangeLog(log);
    expect(report.observed).toEqual({ dns: 2 });
    // The misspelt query parameter is caught when the specs are there (and only then checked).
    expect(report.violations.join('\n')).toContain(SPECS_PRESENT ? 'query parameters not in the spec: per_pgae' : '');
    if (SPECS_PRESENT) expect(report.violations).toHaveLength(1);
    else expect(report.violations).toEqual([]);
  });

  it('never writes a secret value: tokens, passwords, Secret data and hook URL tokens are redacted', () => {
    const redacted = redactExchange({
      method: 'POST',
      path: '/api/repos/1/secrets',
      query: '?access_token=jwt-123&page=1',
      status: 200,
      requestBody: {
        name: 'deploy_token',
        value: 't36_live-secret',
        events: ['push'],
        config: { url: 'http://x/api/hook?access_token=jwt-456', secret: 'hmac' },
      },
      responseBody: { kind: 'Secret', data: { TOKEN: 'c2VjcmV0' }, stringData: { PASSWORD: 'hunter2' }, password: 'p' },
    });
    const text = JSON.stringify(redacted);
    for (const secret of ['jwt-123', 't36_live-secret', 'jwt-456', 'hmac', 'c2VjcmV0', 'hunter2', '"p"'])
      expect(text).not.toContain(secret);
    expect(redacted.requestBody).toMatchObject({ name: 'deploy_token', events: ['push'] });
    expect(redacted.query).toBe('?access_token=%5Bredacted%5D&page=1');
  });

  it('leaves out bodies that are not JSON (a git pack over smart HTTP)', () => {
    const pack = redactExchange({
      method: 'POST',
      path: '/threesix/web.git/git-receive-pack',
      query: '',
      status: 200,
      requestBody: 'PACK\u0000\u0002binary',
      responseBody: undefined,
    });
    expect(pack.requestBody).toBeUndefined();
  });

  it('reports a stand-in no spec check knows', () => {
    const log = join(tempDir(), 'unknown.jsonl');
    writeFileSync(log, `${JSON.stringify({ backend: 'mystery', method: 'GET', path: '/', query: '', status: 200 })}\n`);
    expect(checkExchangeLog(log).violations).toEqual(['mystery: no spec check is known for this stand-in (GET /)']);
  });
});
