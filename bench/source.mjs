// Loads TypeScript source (src/, test/support/) into a benchmark: esbuild bundles the named exports
// into dist/bench/ (next to node_modules, which stays external) and the script imports the result.
// One bundle per benchmark, so every module it uses exists once (one DomainError class, one store).
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { removeTempDirs } from './temp-dirs.mjs';

const ROOT = resolve(import.meta.dirname, '..');

/** Thrown when a module a benchmark needs is not on this branch yet: the benchmark reports it, never a number. */
export class MissingFeature extends Error {}

/**
 * `modules` maps a source path (relative to the repository root) to the names it must export, e.g.
 * `{ 'test/support/test-app.ts': ['createTestApp'] }`. Returns one object with all of them.
 */
export async function loadSource(name, modules) {
  const missing = Object.keys(modules).filter((path) => !existsSync(join(ROOT, path)));
  if (missing.length > 0) throw new MissingFeature(`not on this branch yet: ${missing.join(', ')}`);
  const contents = Object.entries(modules)
    .map(([path, names]) => `export { ${names.join(', ')} } from ${JSON.stringify(`./${path}`)};`)
    .join('\n');
  const outfile = join(ROOT, 'dist', 'bench', `${name}.mjs`);
  await build({
    stdin: { contents, resolveDir: ROOT, sourcefile: `bench-${name}.ts`, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outfile,
    packages: 'external',
    logLevel: 'error',
  }).catch((error) => {
    const text = String(error.message ?? error);
    // A name a module does not export (yet) is a missing feature, not a broken benchmark.
    if (/No matching export|Could not resolve/.test(text))
      throw new MissingFeature(text.split('\n').slice(0, 3).join(' '));
    throw error;
  });
  return import(pathToFileURL(outfile).href);
}

/** Runs a benchmark when its file is the entry point; a missing feature is reported, not a crash. */
export async function runIfMain(meta, benchmark) {
  if (!process.argv[1] || meta.url !== pathToFileURL(process.argv[1]).href) return;
  try {
    await benchmark();
  } catch (error) {
    if (!(error instanceof MissingFeature)) throw error;
    process.stdout.write(`\nskipped: ${error.message}\n`);
  } finally {
    removeTempDirs();
  }
  // Stand-ins and clients may leave idle sockets and timers behind; the numbers are printed.
  process.exit(0);
}
