// Bundles the CLI into dist/ with esbuild. Code splitting keeps each vendor SDK in its own chunk,
// loaded by dynamic import on first use, so `initialize` never pays for them. A few modules the
// server never uses at run time are replaced with small stubs (see scripts/build-stubs/): cold
// start is measured by bench/cold-start.mjs, and the stdio end-to-end tests run this bundle.
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { resolve } from 'node:path';

const stub = name => resolve(import.meta.dirname, 'build-stubs', name);

const trimUnused = {
  name: 'trim-unused',
  setup(b) {
    b.onResolve({ filter: /^zod\/v3$/ }, () => ({ path: stub('zod-v3.js') }));
    b.onResolve({ filter: /^zod-to-json-schema$/ }, () => ({ path: stub('zod-to-json-schema.js') }));
    b.onResolve({ filter: /locales\/index\.js$/ }, args => (args.importer.includes('/zod/') ? { path: stub('zod-locales.js') } : undefined));
    b.onResolve({ filter: /validation\/ajv-provider\.js$/ }, args =>
      args.importer.includes('@modelcontextprotocol/sdk') ? { path: stub('ajv-provider.js') } : undefined,
    );
  },
};

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
  plugins: [trimUnused],
  // Native addon and the packages that load files relative to themselves stay in node_modules.
  external: ['better-sqlite3', '@kubernetes/client-node'],
  banner: { js: "import { createRequire as __threesixRequire } from 'node:module'; const require = __threesixRequire(import.meta.url);" },
  logLevel: 'warning',
});
