/**
 * The README's HTTP instructions against what `serve` and the manifests really accept: a client
 * that follows them must reach /mcp, not a 403 from the Host check or a host no Ingress serves.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { defaultAllowedHosts } from '../../src/http/host-guard.js';

const ROOT = resolve(import.meta.dirname, '../..');
const README = readFileSync(resolve(ROOT, 'README.md'), 'utf8');

/** The shell block under "Any streamable-HTTP MCP client". */
function httpClientBlock(): string[] {
  const section = README.slice(README.indexOf('**Any streamable-HTTP MCP client**'));
  return /```sh\n([\s\S]*?)```/.exec(section)![1]!.trim().split('\n');
}

describe('README HTTP instructions', () => {
  it('the example `serve` accepts the Host header of the client URL it pairs with', () => {
    const lines = httpClientBlock();
    const env: Record<string, string> = {};
    for (const line of lines)
      for (const [, name, value] of line.matchAll(/(?:^|\s)(?:export\s+)?([A-Z_]+)=(\S+)/g)) env[name!] = value!;
    const serve = lines.find((line) => / serve\b/.test(line))!;
    expect(serve).toMatch(/node dist\/cli\.js serve/); // the package is not published: npx would fetch something else
    const host = /--host (\S+)/.exec(serve)?.[1] ?? '127.0.0.1';
    const port = Number(/--port (\d+)/.exec(serve)?.[1] ?? 3636);
    const config = loadConfig(env);
    const client = new URL(/(https?:\/\/\S+\/mcp)/.exec(lines.find((line) => line.includes('claude mcp add'))!)![1]!);
    expect(defaultAllowedHosts(port, host, config.THREESIX_ALLOWED_HOSTS, config.THREESIX_PUBLIC_URL)).toContain(
      client.host,
    );
    // The client line reads the token from the shell, so the serve line must have exported it.
    expect(lines.some((line) => /^export THREESIX_HTTP_TOKEN=/.test(line))).toBe(true);
  });

  it('"Run it for real" points agents at the host the threesix Ingress serves /mcp on', () => {
    /** The fields of the manifest's objects this test reads; only the Ingress has the spec. */
    type Doc = {
      kind: string;
      metadata: { name: string };
      spec: { rules: Array<{ host: string; http: { paths: Array<{ path: string }> } }> };
    };
    const docs = parseAllDocuments(readFileSync(resolve(ROOT, 'deployments/k8s/base/threesix.yaml'), 'utf8')).map(
      (d) => d.toJSON() as Doc,
    );
    const ingress = docs.find((d) => d.kind === 'Ingress' && d.metadata.name === 'threesix')!;
    const rule = ingress.spec.rules.find((r) => r.http.paths.some((p) => p.path === '/mcp'))!;
    const label = rule.host.split('.')[0]; // threesix.example.com → threesix.<your zone>
    const section = README.slice(README.indexOf('## Run it for real'), README.indexOf('## Security model'));
    const urls = [...section.matchAll(/https:\/\/([^/`]+)\/mcp/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThan(0);
    for (const host of urls) expect(host).toBe(`${label}.<your zone>`);
  });
});
