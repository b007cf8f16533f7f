/**
 * Where CI reaches the deploy webhook when threesix runs as `stdio --sandbox` (no HTTP server of
 * its own): a loopback listener serving the health probes and the webhook, started with the
 * sandbox; its URL is the THREESIX_PUBLIC_URL the pipeline template is rendered with.
 */
import { describe, expect, it } from 'vitest';
import { eventually } from '../support/eventually.js';
import { connectStdio } from '../support/mcp-clients.js';

describe('stdio --sandbox', () => {
  it('listens for the CI webhook on loopback', async () => {
    const session = await connectStdio({ THREESIX_LOG_LEVEL: 'info' }, ['--sandbox']);
    try {
      const url = await eventually(
        () => {
          const line = session
            .stderr()
            .split('\n')
            .find((l) => l.includes('ci webhook listening'));
          expect(line).toBeDefined();
          return (JSON.parse(line!) as { url: string }).url;
        },
        15_000,
        100,
      );
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const response = await fetch(`${url}/webhooks/woodpecker`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{nope',
      });
      // Without a deploy token the body is never read: 401, whatever it holds.
      expect(response.status).toBe(401);
      expect((await fetch(`${url}/mcp`, { method: 'POST' })).status).toBe(404);

      // The banner on stderr names what is simulated, and threesix://server says so too.
      const banner = JSON.parse(
        session
          .stderr()
          .split('\n')
          .find((l) => l.includes('sandbox: simulating backends'))!,
      ) as { simulated: string[] };
      expect(banner.simulated.join(' ')).toMatch(/Gitea .*Cloudflare .*Kubernetes .*Woodpecker/);
      const resource = await session.client.readResource({ uri: 'threesix://server' });
      const info = JSON.parse(String((resource.contents[0] as { text: string }).text)) as {
        backends: Array<{ name: string; mode: string }>;
        sandboxGit: string;
      };
      expect(info.backends.map((b) => `${b.name}:${b.mode}`).sort()).toEqual([
        'ci:sandbox',
        'deployer:sandbox',
        'dns:sandbox',
        'git:sandbox',
        'registry:sandbox',
      ]);
      expect(info.sandboxGit).toContain('"sandbox"');
    } finally {
      await session.close();
    }
  }, 30_000);
});
