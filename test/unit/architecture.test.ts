/**
 * The dependency rule, enforced: domain ← ports ← services ← tools/resources/mcp/http.
 * Adapters import only ports and domain; only the entry point (src/cli.ts, src/main/) wires
 * adapters and stand-ins. A forbidden import fails here, naming the file and the edge.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SOURCE_DIRS = ['src', 'tools', 'resources'];

type Layer =
  | 'domain'
  | 'ports'
  | 'services'
  | 'adapters'
  | 'mcp'
  | 'http'
  | 'sandbox'
  | 'main'
  | 'tools'
  | 'resources'
  | 'config'
  | 'other';

function layerOf(file: string, root = ROOT): Layer {
  const rel = relative(root, file).replace(/\\/g, '/').replace(/\.js$/, '.ts');
  if (rel.startsWith('tools/')) return 'tools';
  if (rel.startsWith('resources/')) return 'resources';
  if (rel === 'src/config.ts') return 'config';
  if (rel === 'src/cli.ts') return 'main';
  const segment = rel.split('/')[1] as Layer;
  return ['domain', 'ports', 'services', 'adapters', 'mcp', 'http', 'sandbox', 'main'].includes(segment)
    ? segment
    : 'other';
}

/** Which layers each layer may import (besides itself). */
const ALLOWED: Record<Layer, Layer[]> = {
  domain: [],
  ports: ['domain'],
  config: [],
  services: ['domain', 'ports', 'config'],
  adapters: ['domain', 'ports'],
  mcp: ['domain', 'ports', 'services', 'config'],
  http: ['domain', 'ports', 'services', 'mcp', 'config'],
  tools: ['domain', 'ports', 'services', 'mcp', 'config'],
  resources: ['domain', 'ports', 'services', 'mcp', 'config'],
  // A stand-in is an independent witness of the real service: its rules are rewritten from that
  // service's source, never borrowed from ours (else a wrong rule of ours would pass its own check).
  // Ports are allowed for the Logger type only (see the type-only test below).
  sandbox: ['config', 'ports'],
  main: ['domain', 'ports', 'services', 'adapters', 'mcp', 'http', 'sandbox', 'tools', 'resources', 'config'],
  other: [],
};

/** Packages only adapters (and stand-ins serving their wire format) may load. */
const VENDOR_SDKS = ['gitea-js', 'cloudflare', '@kubernetes/client-node', 'better-sqlite3', 'kysely'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)].map(
    (m) => m[1]!,
  );
  const dynamic = [...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!);
  return [...specifiers, ...dynamic];
}

/**
 * Every import in `sourceFiles` (under `root`) that breaks the dependency rule,
 * as "file (layer) imports x (layer)".
 */
function dependencyViolations(root: string, sourceFiles: string[]): string[] {
  const violations: string[] = [];
  for (const file of sourceFiles) {
    const from = layerOf(file, root);
    for (const specifier of importsOf(file)) {
      if (specifier.startsWith('.') && specifier.endsWith('.json')) continue;
      if (specifier.startsWith('.')) {
        const target = layerOf(resolve(dirname(file), specifier), root);
        if (target !== from && !ALLOWED[from].includes(target)) {
          violations.push(`${relative(root, file)} (${from}) imports ${specifier} (${target})`);
        }
      } else if (from !== 'adapters' && from !== 'main' && from !== 'sandbox') {
        const vendor = VENDOR_SDKS.find((p) => specifier === p || specifier.startsWith(`${p}/`));
        if (vendor) {
          violations.push(`${relative(root, file)} (${from}) imports vendor SDK ${specifier}`);
        }
      }
    }
  }
  return violations;
}

const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(ROOT, dir)));

/**
 * Inside src/services: `operations/` is the generic engine (journal, runner, resume) and `shared/`
 * what every use case uses (app context, events, metrics, locks). Neither may import a capability
 * folder (projects, deploy, dns, ...): the engine learns the operation kinds from the app context,
 * wired in src/main, and a capability can change without the engine noticing.
 * Between capabilities, a module is internal unless its header says `@public`: deploy may use
 * dns's `dns-changes` because dns declares it, never a helper dns keeps to itself. Making a module
 * public is a decision its owner writes down, where the next reader of that file sees it.
 */
const ENGINE_FOLDERS = ['operations', 'shared'];

/** Whether a module's header (its first doc comment) declares it `@public` to other capabilities. */
function declaresPublic(file: string): boolean {
  const header = /^\s*\/\*\*[\s\S]*?\*\//.exec(readFileSync(file, 'utf8'))?.[0] ?? '';
  return /^\s*\*\s*@public\b/m.test(header);
}

function capabilityViolations(root: string, sourceFiles: string[]): string[] {
  const services = join(root, 'src/services');
  const folderOf = (file: string) => relative(services, file).replace(/\\/g, '/').split('/')[0]!;
  const violations: string[] = [];
  for (const file of sourceFiles.filter((f) => f.startsWith(services + '/'))) {
    const from = folderOf(file);
    for (const specifier of importsOf(file).filter((s) => s.startsWith('.'))) {
      const target = resolve(dirname(file), specifier);
      if (!target.startsWith(services + '/')) continue;
      const to = folderOf(target);
      if (to === from || ENGINE_FOLDERS.includes(to)) continue;
      if (ENGINE_FOLDERS.includes(from))
        violations.push(`${relative(root, file)} (${from}) imports ${specifier} (capability ${to})`);
      else if (!declaresPublic(target.replace(/\.js$/, '.ts')))
        violations.push(`${relative(root, file)} (${from}) imports ${specifier}, internal to capability ${to}`);
    }
  }
  return violations;
}

describe('architecture', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it('every import follows the dependency rule', () => {
    expect(dependencyViolations(ROOT, files)).toEqual([]);
  });

  it('the domain does no I/O and loads no libraries', () => {
    const offenders = files
      .filter((file) => layerOf(file) === 'domain')
      .flatMap((file) =>
        importsOf(file)
          .filter((s) => !s.startsWith('.'))
          .map((s) => `${relative(ROOT, file)} imports ${s}`),
      );
    expect(offenders).toEqual([]);
  });

  it('no server code writes to stdout with console.log or console.info', () => {
    const offenders = files
      .filter((file) => /\bconsole\.(log|info)\(/.test(readFileSync(file, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(offenders).toEqual([]);
  });

  it('stand-ins load no product code: nothing from domain, services or adapters, and ports only as types', () => {
    const offenders = files
      .filter((file) => layerOf(file) === 'sandbox')
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return importsOf(file)
          .filter((s) => s.startsWith('.'))
          .filter((s) => {
            const target = layerOf(resolve(dirname(file), s));
            const typeOnly = new RegExp(
              `import\\s+type\\s[^;]*?from\\s+['"]${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]`,
            ).test(text);
            return ['domain', 'services', 'adapters'].includes(target) || (target === 'ports' && !typeOnly);
          })
          .map((s) => `${relative(ROOT, file)} imports ${s}`);
      });
    expect(offenders).toEqual([]);
  });

  it('every stand-in a test starts reports to the strict spec check (a factory in test/support, or an observer)', () => {
    const factories = ['gitea-stand-in', 'cloudflare', 'kubernetes', 'woodpecker', 'registry-stand-in'].map((n) =>
      join(ROOT, 'test/support', `${n}.ts`),
    );
    const starts =
      /\b(startGiteaStandIn|startCloudflareStandIn|startKubernetesStandIn|startWoodpeckerStandIn|serveStandIn(?=\(\s*createRegistryApp)|\w+StandIn\.start)\(/g;
    const offenders = sourceFiles(join(ROOT, 'test'))
      .filter((file) => !factories.includes(file))
      .flatMap((file) => {
        const text = readFileSync(file, 'utf8');
        return [...text.matchAll(starts)]
          .filter((m) => !/\bimport\b[^;]*$/.test(text.slice(text.lastIndexOf('\n', m.index) + 1, m.index)))
          .filter(
            (m) =>
              !/\bobserver\b/.test(callText(text, m.index + m[0].length)) &&
              // The start may sit on the line after `withExchangeObserver(observe, () =>` once formatted.
              !/withExchangeObserver\([^;]*$/.test(text.slice(Math.max(0, m.index - 200), m.index)),
          )
          .map(
            (m) =>
              `${relative(ROOT, file)}: ${m[1]} without a spec-check observer (use a startChecked… factory from test/support, or pass observer: createSpecCheck(…).observe)`,
          );
      });
    expect(offenders).toEqual([]);
  });

  it("every sandbox a test boots reports its exchanges to the test file's log (THREESIX_SANDBOX_EXCHANGE_LOG)", () => {
    // sandbox.test.ts starts recording stand-ins that serve no HTTP at all.
    const exempt = [join(ROOT, 'test/unit/sandbox.test.ts')];
    const offenders = sourceFiles(join(ROOT, 'test'))
      .filter((file) => !exempt.includes(file))
      .filter((file) => {
        const code = readFileSync(file, 'utf8').replace(/^\s*(\*|\/\/|\/\*\*).*$/gm, '');
        return (
          /\bboot\(\s*\{[\s\S]{0,200}?sandbox:\s*true|\bstartSandbox\(/.test(code) &&
          !/exchangeLogEnv\(\)|THREESIX_SANDBOX_EXCHANGE_LOG:/.test(code)
        );
      })
      .map((file) => `${relative(ROOT, file)} boots a sandbox without exchangeLogEnv()`);
    expect(offenders).toEqual([]);
  });

  it('services are grouped by capability; the engine and shared/ import no capability, and capabilities use only what another declares @public', () => {
    expect(readdirSync(join(ROOT, 'src/services')).filter((name) => name.endsWith('.ts'))).toEqual([]);
    expect(capabilityViolations(ROOT, files)).toEqual([]);
  });

  it('the capability rule catches an engine that names a capability, and a capability using an internal module', () => {
    const root = mkdtempSync(join(tmpdir(), 'threesix-capabilities-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      };
      write(
        'src/services/operations/resume.ts',
        "import { kinds } from '../projects/kinds.js';\nimport { ctx } from '../shared/app-context.js';\nexport const r = [kinds, ctx];\n",
      );
      write(
        'src/services/shared/metrics.ts',
        "import { deploy } from '../deploy/deploy.service.js';\nexport const m = deploy;\n",
      );
      write(
        'src/services/projects/create.ts',
        "import { run } from '../operations/resume.js';\nexport const c = run;\n",
      );
      // Between capabilities: a module declaring @public may be imported, an undeclared helper may not
      // (a @public further down the file, outside the header, does not count).
      write(
        'src/services/dns/dns-changes.ts',
        '/**\n * @module dns-changes\n * @public\n */\nexport const plan = 1;\n',
      );
      write(
        'src/services/dns/dns-cache.ts',
        '/** @module dns-cache */\n/**\n * @public\n */\nexport const cache = 1;\n',
      );
      write(
        'src/services/deploy/deploy.service.ts',
        "import { plan } from '../dns/dns-changes.js';\nimport { cache } from '../dns/dns-cache.js';\nexport const deploy = [plan, cache];\n",
      );
      const fixture = sourceFiles(join(root, 'src'));
      expect(capabilityViolations(root, fixture).sort()).toEqual([
        'src/services/deploy/deploy.service.ts (deploy) imports ../dns/dns-cache.js, internal to capability dns',
        'src/services/operations/resume.ts (operations) imports ../projects/kinds.js (capability projects)',
        'src/services/shared/metrics.ts (shared) imports ../deploy/deploy.service.js (capability deploy)',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('the rule catches a forbidden edge (the checker itself can fail)', () => {
    // A throwaway tree with one allowed and three forbidden imports, checked by the same function as the real tree.
    const root = mkdtempSync(join(tmpdir(), 'threesix-architecture-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      };
      write('src/domain/names.ts', "import { rule } from './rules.js';\nexport const x = rule;\n");
      write(
        'src/domain/leaky.ts',
        "import { giteaClient } from '../adapters/gitea/client.js';\nexport const y = giteaClient;\n",
      );
      write('src/services/wired.ts', "export { createThing } from '../adapters/thing/thing.js';\n");
      write('tools/sdk.ts', "const sdk = await import('gitea-js');\nexport default sdk;\n");
      const fixture = ['src', 'tools'].flatMap((dir) => sourceFiles(join(root, dir)));
      expect(dependencyViolations(root, fixture).sort()).toEqual([
        'src/domain/leaky.ts (domain) imports ../adapters/gitea/client.js (adapters)',
        'src/services/wired.ts (services) imports ../adapters/thing/thing.js (adapters)',
        'tools/sdk.ts (tools) imports vendor SDK gitea-js',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

/** The argument text of a call whose opening parenthesis ends at `from` (balanced parentheses). */
function callText(text: string, from: number): string {
  let depth = 1;
  let i = from;
  while (i < text.length && depth > 0) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    i++;
  }
  return text.slice(from, i);
}
