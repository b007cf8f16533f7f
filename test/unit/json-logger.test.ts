import { describe, expect, it } from 'vitest';
import { createJsonLogger } from '../../src/adapters/log/json-logger.js';

describe('JSON logger', () => {
  it('writes one JSON object per line with bindings and level filtering', () => {
    const lines: string[] = [];
    const logger = createJsonLogger({ level: 'info', write: (l) => void lines.push(l) }).child({ tool: 'deploy' });
    logger.debug('hidden');
    logger.info('shown', { durationMs: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'shown', tool: 'deploy', durationMs: 3 });
  });

  it('redacts credential-named fields and scrubs known secret values anywhere', () => {
    const lines: string[] = [];
    const token = 'gitea-token-abcdef123456';
    const logger = createJsonLogger({ secrets: [token], write: (l) => void lines.push(l) });
    logger.error('upstream failed', {
      headers: { Authorization: `token ${token}`, accept: 'json' },
      url: `https://x:${token}@git.example.com/api`,
      err: new Error(`request with ${token} failed`),
      apiKey: 'k',
    });
    const text = lines.join('');
    expect(text).not.toContain(token);
    const record = JSON.parse(lines[0]!) as {
      headers: unknown;
      apiKey: unknown;
      url: unknown;
      err: { message: unknown };
    };
    expect(record.headers).toEqual({ Authorization: '[redacted]', accept: 'json' });
    expect(record.apiKey).toBe('[redacted]');
    expect(record.url).toBe('https://x:[redacted]@git.example.com/api');
    expect(record.err.message).toBe('request with [redacted] failed');
  });
});
