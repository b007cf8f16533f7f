// Bundles the CLI into dist/ with esbuild, shaped for a fast `initialize` (bench/cold-start.mjs):
//
//   dist/cli.js      the entry (scripts/build-runtime/cli-loader.cjs), CommonJS
//   dist/start.cjs   one CommonJS script with everything `stdio` runs up to `tools/list`: zod, the
//                    MCP SDK, config, tools, services. The loader runs it with a V8 code cache
//                    (dist/start.cjs.cache, written by a warm-up start at the end of this build).
//   dist/*.mjs       ES module chunks for everything loaded on demand (adapters and their vendor
//                    SDKs, the SQLite store, stand-ins, `serve`, `doctor`). A chunk imports a module
//                    of start.cjs through a generated shim that reads start.cjs's module registry,
//                    so each module (and each class, for instanceof) exists once.
//
// A few modules the server never uses at run time are replaced with small stubs (scripts/build-stubs/);
// test/unit/sdk-internals.test.ts fails when an SDK or zod upgrade changes what they replace.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const ROOT = process.cwd();
const stub = (name) => resolve(import.meta.dirname, 'build-stubs', name);
// Dynamic imports that `stdio` awaits before answering, bundled into start.cjs instead of split off.
const START_INLINE = new Set(['src/main/run-stdio.ts']);
// Native addon and the ESM-only package that loads files relative to itself stay in node_modules.
const external = ['better-sqlite3', '@kubernetes/client-node'];
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
};
const keyOf = (path) => relative(ROOT, path);

const trimUnused = {
  name: 'trim-unused',
  setup(b) {
    b.onResolve({ filter: /^zod\/v3$/ }, () => ({ path: stub('zod-v3.js') }));
    b.onResolve({ filter: /^zod-to-json-schema$/ }, () => ({ path: stub('zod-to-json-schema.js') }));
    b.onResolve({ filter: /locales\/index\.js$/ }, (args) =>
      args.importer.includes('/zod/') ? { path: stub('zod-locales.js') } : undefined,
    );
    b.onResolve({ filter: /validation\/ajv-provider\.js$/ }, (args) =>
      args.importer.includes('@modelcontextprotocol/sdk') ? { path: stub('ajv-provider.js') } : undefined,
    );
  },
};

// node:crypto takes ~6 ms to load, and nothing needs it before the first tool call: start.cjs gets
// a stand-in whose functions load it on first call. (Classes are left out: importing one fails the build.)
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:crypto$/ }, (args) =>
      args.namespace === 'lazy-builtin'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const real = await import(args.path);
      const functions = Object.keys(real).filter((name) => /^[a-z]/.test(name) && typeof real[name] === 'function');
      const contents = [
        `let loaded;`,
        `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
        ...functions.map((name) => `export function ${name}(...args) { return load().${name}(...args); }`),
      ].join('\n');
      return { contents, loader: 'js' };
    });
  },
};

/** Resolves like esbuild would, without re-entering the plugin that asks. */
async function resolveKey(b, args) {
  const resolved = await b.resolve(args.path, {
    resolveDir: args.resolveDir,
    kind: args.kind,
    importer: args.importer,
    pluginData: { inner: true },
  });
  return resolved.errors.length || resolved.external ? undefined : keyOf(resolved.path);
}

/** start.cjs: our own dynamic imports (but START_INLINE) become `import("<source key>")`, rewritten below. */
function lazyBoundary(lazyKeys) {
  return {
    name: 'lazy-boundary',
    setup(b) {
      b.onResolve({ filter: /^\./ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData?.inner) return undefined;
        const key = await resolveKey(b, args);
        if (!key || START_INLINE.has(key)) return undefined;
        lazyKeys.add(key);
        return { path: key, external: true };
      });
    },
  };
}

async function buildStart(registryKeys, write) {
  const lazyKeys = new Set();
  const imports = registryKeys.map((key, i) => `import * as m${i} from ${JSON.stringify(join(ROOT, key))};`);
  const registry = registryKeys.map((key, i) => `${JSON.stringify(key)}: m${i}`);
  const contents = `${imports.join('\n')}\nexport { runCli } from './src/main/cli-main.ts';\nexport const modules = { ${registry.join(', ')} };\n`;
  const result = await build({
    ...common,
    stdin: { contents, resolveDir: ROOT, sourcefile: 'start-entry.js', loader: 'ts' },
    format: 'cjs',
    outfile: 'dist/start.cjs',
    // No comments or indentation: less to read and scan at every start. ASCII only (checked below),
    // so the loader reads it as a one-byte string instead of decoding UTF-8 into two bytes a char.
    minifyWhitespace: true,
    charset: 'ascii',
    write,
    external,
    plugins: [trimUnused, lazyBuiltins, lazyBoundary(lazyKeys)],
  });
  return { inputs: new Set(Object.keys(result.metafile.inputs)), lazyKeys: [...lazyKeys].sort() };
}

/** The chunks: every module of start.cjs they import is replaced by a shim over its registry. */
function startShims(startInputs, exportNames, requested) {
  return {
    name: 'start-shims',
    setup(b) {
      b.onResolve({ filter: /.*/ }, async (args) => {
        if (args.pluginData?.inner || args.kind === 'entry-point') return undefined;
        const key = await resolveKey(b, args);
        if (!key || !startInputs.has(key)) return undefined;
        requested.add(key);
        return { path: key, namespace: 'start' };
      });
      b.onLoad({ filter: /.*/, namespace: 'start' }, (args) => {
        // The first pass only maps the imports: a CommonJS stand-in accepts any name.
        if (!exportNames) return { contents: 'module.exports = {};', loader: 'js' };
        const names = exportNames(args.path);
        const bindings = names.map((name, i) => `const v${i} = m[${JSON.stringify(name)}];`).join('\n');
        const exported = names.map((name, i) => `v${i} as ${JSON.stringify(name)}`).join(', ');
        const contents = [
          `const start = globalThis[Symbol.for('threesix.start')];`,
          `if (!start) throw new Error('load dist/cli.js, not a chunk: start.cjs is not running');`,
          `const m = start.modules[${JSON.stringify(args.path)}];`,
          bindings,
          `export { ${exported} };`,
        ].join('\n');
        return { contents, loader: 'js', resolveDir: ROOT };
      });
    },
  };
}

async function buildChunks(entryKeys, startInputs, exportNames, write) {
  const requested = new Set();
  const result = await build({
    ...common,
    entryPoints: entryKeys,
    splitting: true,
    format: 'esm',
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    entryNames: '[name]-[hash]',
    write,
    external,
    plugins: [trimUnused, startShims(startInputs, exportNames, requested)],
    banner: {
      js: "import { createRequire as __threesixRequire } from 'node:module'; const require = __threesixRequire(import.meta.url);",
    },
  });
  const chunkOf = new Map(
    Object.entries(result.metafile.outputs)
      .filter(([, output]) => output.entryPoint)
      .map(([file, output]) => [output.entryPoint, `./${relative('dist', file)}`]),
  );
  return { requested: [...requested].sort(), chunkOf };
}

rmSync('dist', { recursive: true, force: true });
// 1. What start.cjs is made of, and which modules it imports lazily.
const first = await buildStart([], false);
// 2. Which of start.cjs's modules the chunks import: start.cjs must publish those.
const { requested } = await buildChunks(first.lazyKeys, first.inputs, undefined, false);
// 3. start.cjs with its registry; its export names give the shims their bindings.
const start = await buildStart(requested, true);
if (start.lazyKeys.join() !== first.lazyKeys.join())
  throw new Error('start.cjs changed its lazy imports between passes');
// A module both bundled and lazily imported would exist twice: list it in START_INLINE instead.
const twice = start.lazyKeys.filter((key) => start.inputs.has(key));
if (twice.length > 0) throw new Error(`statically and lazily imported: ${twice.join(', ')}`);
const registry = createRequire(import.meta.url)(resolve('dist/start.cjs')).modules;
const { chunkOf } = await buildChunks(start.lazyKeys, start.inputs, (key) => Object.keys(registry[key]), true);
linkLazyImports(start.lazyKeys, chunkOf);
copyFileSync(resolve(import.meta.dirname, 'build-runtime/cli-loader.cjs'), 'dist/cli.js');
chmodSync('dist/cli.js', 0o755);
// dist/cli.js is CommonJS (a module graph would cost the compile cache its point); the chunks are .mjs.
writeFileSync('dist/package.json', `${JSON.stringify({ type: 'commonjs' })}\n`);
await warmUp();

/** `import("<key>")` → `lazyImport("./<chunk>.mjs")`, and an id that binds the code cache to this build. */
function linkLazyImports(lazyKeys, chunks) {
  let code = readFileSync('dist/start.cjs', 'utf8');
  for (const key of lazyKeys) {
    const call = `import(${JSON.stringify(key)})`;
    if (!code.includes(call)) throw new Error(`start.cjs has no ${call}`);
    code = code.replaceAll(call, `lazyImport(${JSON.stringify(chunks.get(key))})`);
  }
  // start.cjs runs in vm.Script, which has no import(): a left-over one would fail at run time.
  const leftover = /\bimport\(\s*["'`]/.exec(code.replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, ''));
  if (leftover)
    throw new Error(`start.cjs still has a dynamic import: ${code.slice(leftover.index, leftover.index + 80)}`);
  const nonAscii = /[\u0080-\uffff]/.exec(code);
  if (nonAscii) throw new Error(`start.cjs is not ASCII: ${code.slice(nonAscii.index - 40, nonAscii.index + 40)}`);
  const id = createHash('sha256').update(code).digest('hex').slice(0, 32);
  writeFileSync('dist/start.cjs', `${code}//# threesixBuild=${id}\n`);
}

/** One stdio session (initialize, tools/list) so the loader writes dist/start.cjs.cache on exit. */
async function warmUp() {
  const dataDir = mkdtempSync(join(tmpdir(), 'threesix-build-'));
  try {
    await new Promise((done, fail) => {
      const child = spawn(process.execPath, ['dist/cli.js', 'stdio'], {
        stdio: ['pipe', 'pipe', 'ignore'],
        env: { PATH: process.env.PATH, THREESIX_DATA_DIR: dataDir },
      });
      const send = (message) => child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
      let output = '';
      child.stdout.on('data', (chunk) => {
        output += chunk;
        if (output.includes('"id":2')) child.stdin.end();
      });
      child.on('error', fail);
      child.on('exit', (code) =>
        output.includes('"id":2') ? done() : fail(new Error(`warm-up start failed (exit ${code})`)),
      );
      send({
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'build', version: '0' } },
      });
      send({ method: 'notifications/initialized' });
      send({ id: 2, method: 'tools/list' });
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
