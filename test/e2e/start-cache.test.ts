import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// The V8 code cache for dist/start.cjs (scripts/build-runtime/cli-loader.cjs) only speeds start-up:
// whatever state the cache file is in, the server must start and answer, and leave a usable cache.
const ROOT = resolve(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'threesix-start-cache-'));
cpSync(join(ROOT, 'dist'), join(work, 'dist'), { recursive: true });
cpSync(join(ROOT, 'package.json'), join(work, 'package.json'));
symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
const CACHE = join(work, 'dist/start.cjs.cache');

/** Spawns the copied CLI, answers `initialize`, then closes stdin so it exits (and writes its cache). */
function initialize(): Promise<{ serverName: string; exitCode: number | null }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(work, 'dist/cli.js'), 'stdio'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { PATH: process.env.PATH, THREESIX_DATA_DIR: mkdtempSync(join(work, 'data-')) },
    });
    let output = '';
    let serverName = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const line = output.split('\n').find((l) => l.includes('"id":1'));
      if (line && !serverName) {
        serverName = (JSON.parse(line) as { result: { serverInfo: { name: string } } }).result.serverInfo.name;
        child.stdin.end();
      }
    });
    child.on('error', fail);
    child.on('exit', (exitCode) => done({ serverName, exitCode }));
    const params = { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '0' } };
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params })}\n`);
  });
}

describe('start script code cache', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('starts with the cache the build wrote, and keeps it (V8 accepted it)', async () => {
    const built = readFileSync(CACHE);
    expect(built.length).toBeGreaterThan(1000);
    expect(await initialize()).toEqual({ serverName: 'threesix', exitCode: 0 });
    expect(readFileSync(CACHE).equals(built)).toBe(true);
  });

  it('ignores a cache made for another build and replaces it', async () => {
    const foreign = readFileSync(CACHE);
    const idByte = foreign.readUInt8(8); // the first byte of the build id in our header
    foreign.writeUInt8(idByte ^ 0xff, 8);
    writeFileSync(CACHE, foreign);
    expect(await initialize()).toEqual({ serverName: 'threesix', exitCode: 0 });
    expect(readFileSync(CACHE).readUInt8(8)).toBe(idByte);
  });

  it('starts with a corrupt cache and replaces it on exit', async () => {
    const good = readFileSync(CACHE);
    const corrupt = Buffer.from(good);
    corrupt.fill(0x5a, 0, 64); // our header and V8's both wrong
    corrupt.fill(0xa5, corrupt.length >> 1, (corrupt.length >> 1) + 4096); // and the payload
    writeFileSync(CACHE, corrupt);
    expect(await initialize()).toEqual({ serverName: 'threesix', exitCode: 0 });
    expect(readFileSync(CACHE).equals(corrupt)).toBe(false);
    expect(await initialize()).toEqual({ serverName: 'threesix', exitCode: 0 });
  });

  it('starts with a payload corrupted behind a valid-looking header', async () => {
    const cache = readFileSync(CACHE);
    cache.fill(0xa5, cache.length >> 1, (cache.length >> 1) + 4096); // checksum no longer matches
    writeFileSync(CACHE, cache);
    expect(await initialize()).toEqual({ serverName: 'threesix', exitCode: 0 });
  });

  it('starts with a truncated or missing cache and writes a new one', async () => {
    writeFileSync(CACHE, Buffer.alloc(7));
    expect(await initialize()).toEqual({ serverName: 'threesix', exitCode: 0 });
    rmSync(CACHE);
    expect(await initialize()).toEqual({ serverName: 'threesix', exitCode: 0 });
    expect(readFileSync(CACHE).length).toBeGreaterThan(1000);
  });
});
