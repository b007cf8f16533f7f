#!/usr/bin/env node
// dist/cli.js, the built entry point (copied here by scripts/build.mjs). Everything `stdio` needs
// up to `initialize` and `tools/list` — zod, the MCP SDK and our own start path — is one CommonJS
// script, dist/start.cjs, because Node 20 has no compile cache for modules: this loader runs it
// through vm.Script with a V8 code cache, so compiling it costs a deserialisation. The rest
// (adapters, stand-ins, `serve`, `doctor`) stays in ES module chunks that start.cjs imports on
// demand through `lazyImport`, and that reach start.cjs's modules through the registry it
// publishes (one instance of every class).
//
// The cache only speeds things up: a missing, stale, foreign or corrupt file is ignored (the source
// is compiled as usual) and a fresh one is written when the process exits.
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS by design: see above
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS by design: see above
const { join } = require('node:path');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS by design: see above
const vm = require('node:vm');

const FILE = join(__dirname, 'start.cjs');
const CACHE_FILE = `${FILE}.cache`;
const MAGIC = 0x54364331; // "T6C1"
// Header: magic, checksum of the payload, then the build id that start.cjs ends with. V8 checks
// its version, its flags and the source's length, but not the payload (release builds skip the
// checksum), so a damaged page would crash the process instead of being rejected.
const HEADER_BYTES = 8 + 16;

/**
 * FNV-1a over one 32-bit word in every 64 bytes, and the length. A file replaced by rename is
 * damaged a page at a time (a crash that leaves zeroed or stale pages), and every 4 KiB page has 64
 * sampled words; hashing all of it, or loading node:crypto, would cost milliseconds at every start.
 */
function checksum(bytes) {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, aligned.length >> 2);
  let hash = Math.imul(0x811c9dc5 ^ bytes.length, 16777619);
  for (let i = 0; i < words.length; i += 16) hash = Math.imul(hash ^ words[i], 16777619);
  return hash >>> 0;
}

function buildId(source) {
  const match = /\/\/# threesixBuild=([0-9a-f]{32})\s*$/.exec(source.slice(-64));
  return match ? Buffer.from(match[1], 'hex') : undefined;
}

function readCache(id) {
  try {
    const file = readFileSync(CACHE_FILE);
    if (file.length <= HEADER_BYTES || file.readUInt32LE(0) !== MAGIC || !file.subarray(8, HEADER_BYTES).equals(id))
      return undefined;
    const payload = file.subarray(HEADER_BYTES);
    return checksum(payload) === file.readUInt32LE(4) ? payload : undefined;
  } catch {
    return undefined; // no cache yet, or unreadable: compile from source
  }
}

function writeCache(id, script) {
  try {
    const payload = script.createCachedData();
    const header = Buffer.alloc(HEADER_BYTES);
    header.writeUInt32LE(MAGIC, 0);
    header.writeUInt32LE(checksum(payload), 4);
    id.copy(header, 8);
    const temporary = `${CACHE_FILE}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.concat([header, payload]));
    renameSync(temporary, CACHE_FILE); // atomic: concurrent processes never read a half-written cache
  } catch {
    // dist/ may be read-only (a global install, a container); the next start compiles again.
  }
}

const source = readFileSync(FILE, 'latin1'); // ASCII, checked by the build
const id = buildId(source);
const cachedData = id && readCache(id);
// The wrapper sits on the first line so the source map's lines still match.
const script = new vm.Script(`(function (exports, require, module, __filename, __dirname, lazyImport) {${source}\n})`, {
  filename: FILE,
  cachedData,
});
// Written at exit rather than now, so the functions that ran (most of start-up) are compiled into it.
if (id && (cachedData === undefined || script.cachedDataRejected)) process.once('exit', () => writeCache(id, script));
const start = { exports: {} };
// import() in this file resolves against dist/, where the chunks are.
script.runInThisContext()(start.exports, require, start, FILE, __dirname, (specifier) => import(specifier));
globalThis[Symbol.for('threesix.start')] = start.exports;
start.exports.runCli(process.argv.slice(2));
