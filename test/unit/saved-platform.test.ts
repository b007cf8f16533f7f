/**
 * THREESIX_DATA_DIR/sandbox/platform.json, where the sandbox keeps each stand-in's port and
 * credentials between starts: read back as written, owner-only, and a damaged file is an error that
 * names it instead of a silent choice of new ports.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSavedPlatform, writeSavedPlatform } from '../../src/sandbox/saved-platform.js';
import { tempDir } from '../support/test-app.js';

describe('saved sandbox platform', () => {
  it('is empty before the first start, and reads back what was written, owner-only', () => {
    const root = tempDir();
    expect(readSavedPlatform(root)).toEqual({});
    const platform = { git: { port: 40817, env: { GITEA_URL: 'http://127.0.0.1:40817', GITEA_TOKEN: 'sandbox' } } };
    writeSavedPlatform(root, platform);
    expect(readSavedPlatform(root)).toEqual(platform);
    expect(statSync(join(root, 'platform.json')).mode & 0o777).toBe(0o600);
  });

  it.each([
    ['not JSON', '{"git": {"port": 408'],
    ['a port out of range', JSON.stringify({ git: { port: 70000, env: {} } })],
    ['a non-string variable', JSON.stringify({ dns: { port: 4000, env: { CLOUDFLARE_ZONE_ID: 7 } } })],
    ['an array', '[]'],
  ])('refuses %s, naming the file and what to do, and leaves it as it was', (_case, text) => {
    const root = tempDir();
    writeFileSync(join(root, 'platform.json'), text);
    expect(() => readSavedPlatform(root)).toThrow(
      `${join(root, 'platform.json')} is not a saved sandbox platform; fix it, or delete it to choose new ports and sandbox tokens`,
    );
    expect(readFileSync(join(root, 'platform.json'), 'utf8')).toBe(text);
  });
});
