/**
 * `GET /metrics` through the real `serve` stack on an ephemeral port: behind the bearer token and
 * host guard, Prometheus text format, and counters that move when a real MCP tool call happens.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../../src/domain/errors.js';
import { runServe, type RunningHttp } from '../../src/main/run-serve.js';
import type { AppContext } from '../../src/services/shared/app-context.js';
import { createTestApp } from '../support/test-app.js';

const TOKEN = 'metrics-test-token';

function statusWithHost(url: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Host: host, Authorization: `Bearer ${TOKEN}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject).end();
  });
}

describe('GET /metrics over HTTP', () => {
  let app: AppContext;
  let running: RunningHttp;
  const auth = { Authorization: `Bearer ${TOKEN}` };

  beforeAll(async () => {
    app = await createTestApp({
      env: { THREESIX_HTTP_TOKEN: TOKEN, GITEA_URL: 'http://127.0.0.1:9', GITEA_TOKEN: 'x' },
      // A git port whose probe fails, to see backend latency recorded through compose's wrapper.
      factories: {
        git: () => ({
          provider: 'test',
          endpoint: null,
          build: () =>
            Promise.resolve({
              probe: async () => void (await Promise.reject(new DomainError('UPSTREAM_UNAVAILABLE', 'down'))),
            } as never),
        }),
      },
    });
    running = await runServe(
      { config: app.config, app, logger: app.logger, sandbox: undefined, shutdown: () => app.store.close() },
      { host: '127.0.0.1', port: 0 },
    );
  });
  afterAll(async () => running?.close());

  const scrape = async () => {
    const response = await fetch(`${running.url}/metrics`, { headers: auth });
    expect(response.status).toBe(200);
    return { body: await response.text(), type: response.headers.get('content-type') };
  };

  it('answers 401 without the token and 403 for a foreign Host', async () => {
    expect((await fetch(`${running.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${running.url}/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    // fetch drops a Host header, so the rebinding case goes through node:http.
    expect(await statusWithHost(`${running.url}/metrics`, 'evil.example')).toBe(403);
    expect(await statusWithHost(`${running.url}/metrics`, new URL(running.url).host)).toBe(200);
  });

  it('serves the Prometheus text format with HELP and TYPE for every family', async () => {
    const { body, type } = await scrape();
    expect(type).toBe('text/plain; version=0.0.4; charset=utf-8');
    for (const family of [
      'threesix_tool_calls_total',
      'threesix_webhook_deliveries_total',
      'threesix_deploys_total',
      'threesix_backend_call_duration_seconds',
      'threesix_tool_call_duration_seconds',
    ]) {
      expect(body).toContain(`# TYPE ${family} `);
      expect(body).toContain(`# HELP ${family} `);
    }
    expect(body).toMatch(/^threesix_build_info\{version="[^"]+"\} 1$/m);
    // Every sample line is `name{labels} value`.
    for (const line of body
      .trim()
      .split('\n')
      .filter((l) => !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? [-+0-9.eEInfNa]+$/);
    }
  });

  it('counts a real MCP tool call, its duration, and an unknown-project error', async () => {
    const client = new Client({ name: 'metrics-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${running.url}/mcp`), { requestInit: { headers: auth } }),
    );
    await client.callTool({ name: 'list_projects', arguments: {} });
    await client.callTool({ name: 'list_projects', arguments: {} });
    const failed = await client.callTool({ name: 'get_project', arguments: { project: 'nope' } });
    expect(failed.isError).toBe(true);
    await client.close();

    const { body } = await scrape();
    expect(body).toContain('threesix_tool_calls_total{tool="list_projects",outcome="ok"} 2');
    expect(body).toContain('threesix_tool_calls_total{tool="get_project",outcome="error"} 1');
    expect(body).toContain('threesix_tool_errors_total{tool="get_project",code="NOT_FOUND"} 1');
    expect(body).toContain('threesix_tool_call_duration_seconds_count{tool="list_projects"} 2');
    expect(body).toContain('threesix_tool_call_duration_seconds_bucket{tool="list_projects",le="+Inf"} 2');
  });

  it('records webhook, deploy and backend calls made through the recorders', async () => {
    app.metrics.webhookDelivery('accepted');
    app.metrics.webhookDelivery('accepted');
    app.metrics.webhookDelivery('duplicate');
    app.metrics.deploy('succeeded');
    // /readyz?verbose probes the configured git backend through the wrapped port; the probe fails,
    // which the body reports while the replica stays ready (only its database gates readiness).
    const ready = await fetch(`${running.url}/readyz?verbose`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', failing: ['git'] });
    const { body } = await scrape();
    expect(body).toContain('threesix_webhook_deliveries_total{outcome="accepted"} 2');
    expect(body).toContain('threesix_webhook_deliveries_total{outcome="duplicate"} 1');
    expect(body).toContain('threesix_deploys_total{result="succeeded"} 1');
    expect(body).toContain('threesix_backend_call_duration_seconds_count{backend="git",outcome="error"} 1');
  });
});
