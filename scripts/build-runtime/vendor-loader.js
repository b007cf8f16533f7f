// Runtime half of the vendor bundle (see scripts/build.mjs). zod and the MCP SDK are most of the code
// on the `initialize` path, and Node 20 has no compile cache for ES modules, so they are bundled as
// one CommonJS file (dist/vendor.cjs) and run through vm.Script with a V8 code cache: parsing and
// compiling them then costs a deserialisation instead. The cache is only an accelerator: a missing,
// stale, foreign or corrupt file is ignored (the source is compiled as usual) and a fresh one is
// written when the process exits. Every import of zod or the SDK in dist/ goes through
// vendorModule(), so there is exactly one instance of each.
import { createHash } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

const FILE = fileURLToPath(new URL('./vendor.cjs', import.meta.url));
const CACHE_FILE = `${FILE}.cache`;
// V8 itself checks its version and flags but only the *length* of the source, and it does not
// checksum the payload in release builds; this digest binds the cache to these exact bytes.
const DIGEST_BYTES = 20;

let loaded;

export function vendorModule(specifier) {
  loaded ??= load();
  const namespace = loaded.modules[specifier];
  if (!namespace) throw new Error(`vendor bundle has no module "${specifier}"; rebuild with npm run build`);
  return namespace;
}

const digest = (source, payload) => createHash('sha1').update(source).update(payload).digest();

function readCache(source) {
  try {
    const file = readFileSync(CACHE_FILE);
    const payload = file.subarray(DIGEST_BYTES);
    return digest(source, payload).equals(file.subarray(0, DIGEST_BYTES)) ? payload : undefined;
  } catch {
    return undefined; // no cache yet, or unreadable: compile from source
  }
}

function writeCache(source, script) {
  try {
    const payload = script.createCachedData();
    const temporary = `${CACHE_FILE}.${process.pid}.tmp`;
    writeFileSync(temporary, Buffer.concat([digest(source, payload), payload]));
    renameSync(temporary, CACHE_FILE); // atomic: concurrent processes never read a half-written cache
  } catch {
    // dist/ may be read-only (a global install, a container); the next start compiles again.
  }
}

function load() {
  const source = readFileSync(FILE, 'utf8');
  const cachedData = readCache(source);
  // Same wrapper as Node's CommonJS loader, on the first line so the source map's lines still match.
  // No importModuleDynamically: zod and the SDK never use import(), and Node 20 marks it experimental.
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: FILE, cachedData });
  // Written at exit rather than now, so the functions that ran (most of start-up) are compiled into it.
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => writeCache(source, script));
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(FILE), module, FILE, dirname(FILE));
  return module.exports;
}
