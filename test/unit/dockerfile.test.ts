/**
 * Docker cannot run here, so the Dockerfile is checked for the properties that matter: stages,
 * a non-root runtime user, production dependencies only, the right command, and a build context
 * (.dockerignore) that holds every file the bundle is built from and nothing secret.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/kustomize.js';

interface Stage {
  name: string;
  from: string;
  lines: string[];
}

function parseDockerfile(text: string): { args: Record<string, string>; stages: Stage[] } {
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  for (const line of logical) {
    const from = /^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from)
      stages.push({
        from: from[1]!.replace(/\$\{(\w+)\}/g, (_, n: string) => args[n] ?? ''),
        name: from[2] ?? String(stages.length),
        lines: [],
      });
    else if (!stages.length && /^ARG\s+(\w+)=(\S+)/i.test(line)) {
      const [, name, value] = /^ARG\s+(\w+)=(\S+)/i.exec(line)!;
      args[name!] = value!;
    } else stages.at(-1)?.lines.push(line);
  }
  return { args, stages };
}

const dockerfile = parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));
const runtime = dockerfile.stages.at(-1)!;
const stage = (name: string) => dockerfile.stages.find((s) => s.name === name)!;
const copiesFrom = (s: Stage) =>
  s.lines
    .filter((l) => /^COPY\s+--from=/i.test(l))
    .map((l) => /--from=(\S+)\s+(\S+)/.exec(l)!.slice(1, 3) as [string, string]);

describe('Dockerfile', () => {
  it('is multi-stage on a pinned Node 20 image', () => {
    expect(dockerfile.stages.length).toBeGreaterThanOrEqual(2);
    const names = dockerfile.stages.map((s) => s.name);
    // Each stage starts from an earlier stage or from the pinned Node image.
    for (const s of dockerfile.stages)
      if (!names.includes(s.from)) expect(s.from).toMatch(/^node:20\.\d+\.\d+-[a-z]+-slim$/);
    expect(runtime.from).toMatch(/^node:/);
  });

  it('runs as a non-root numeric user in the final stage', () => {
    const user = runtime.lines.filter((l) => /^USER\s/i.test(l)).at(-1);
    expect(user).toBeDefined();
    const uid = user!.split(/\s+/)[1]!.split(':')[0]!;
    expect(uid).toMatch(/^\d+$/);
    expect(Number(uid)).toBeGreaterThan(0);
    // Nothing after USER switches back.
    expect(runtime.lines.slice(runtime.lines.indexOf(user!) + 1).some((l) => /^USER\s/i.test(l))).toBe(false);
  });

  it('ships production dependencies only, and no sources or toolchain in the final stage', () => {
    const [from] = copiesFrom(runtime).find(([, path]) => path.includes('node_modules')) ?? [];
    expect(from).toBeDefined();
    expect(stage(from!).lines.join('\n')).toMatch(/npm ci --omit=dev/);
    expect(runtime.lines.join('\n')).not.toMatch(/npm (ci|install)(?!.*--omit=dev)/);
    expect(runtime.lines.join('\n')).not.toMatch(/COPY\s+(src|tools|resources|scripts)\b|apt-get install/);
    const [distFrom] = copiesFrom(runtime).find(([, path]) => path.includes('dist')) ?? [];
    expect(stage(distFrom!).lines).toContain('RUN npm run build');
  });

  it('starts `node dist/cli.js serve`', () => {
    const json = (instruction: string) =>
      JSON.parse(runtime.lines.find((l) => l.startsWith(`${instruction} `))!.slice(instruction.length + 1)) as string[];
    expect([...json('ENTRYPOINT'), ...json('CMD')]).toEqual(['node', 'dist/cli.js', 'serve']);
  });
});

describe('.dockerignore', () => {
  const rules = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const included = rules.filter((r) => r.startsWith('!')).map((r) => r.slice(1).replace(/\/$/, ''));

  it('excludes everything by default and re-includes nothing secret', () => {
    expect(rules[0]).toBe('*');
    for (const path of included)
      expect(path).not.toMatch(/\.env|secrets|deployments|\.git|node_modules|\.threesix|\.db/);
  });

  it('holds every file the esbuild bundle is made of, and every path the Dockerfile copies', async () => {
    const result = await build({
      entryPoints: [join(repoRoot, 'src/cli.ts')],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      outdir: join(repoRoot, 'dist-check'),
      splitting: true,
      packages: 'external',
      logLevel: 'silent',
    });
    const roots = new Set(
      Object.keys(result.metafile.inputs).map((input) => relative(repoRoot, join(repoRoot, input)).split('/')[0]!),
    );
    for (const root of roots) expect(included, `bundle input under ${root}/`).toContain(root);
    const copied = dockerfile.stages
      .flatMap((s) => s.lines)
      .filter((l) => /^COPY\s+(?!--from)/i.test(l))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    for (const path of copied) expect(included, path).toContain(path);
  });

  it('keeps files the server reads at run time in the image', () => {
    // A source that reads deployments/<dir> (e.g. a pipeline template) needs that directory copied.
    const sources = (dir: string): string[] =>
      readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? sources(join(dir, f)) : [join(dir, f)]));
    const needed = new Set(
      sources(join(repoRoot, 'src')).flatMap((f) =>
        [...readFileSync(f, 'utf8').matchAll(/['"`](?:\.\.\/)*deployments\/([\w.-]+)/g)].map(
          (m) => `deployments/${m[1]}`,
        ),
      ),
    );
    for (const path of needed) {
      expect(included, path).toContain(path);
      expect(
        runtime.lines.some((l) => l.startsWith('COPY') && l.includes(path)),
        `runtime stage copies ${path}`,
      ).toBe(true);
    }
  });
});
