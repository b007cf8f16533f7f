// Bundles the CLI into dist/ with esbuild. Code splitting keeps each vendor SDK in its own chunk,
// loaded by dynamic import on first use, so `initialize` never pays for them.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';

await rm('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  sourcemap: true,
  // Native addon and the packages that load files relative to themselves stay in node_modules.
  external: ['better-sqlite3', '@kubernetes/client-node'],
  banner: { js: "import { createRequire as __threesixRequire } from 'node:module'; const require = __threesixRequire(import.meta.url);" },
  logLevel: 'warning',
});
