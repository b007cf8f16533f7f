/**
 * doctor's two halves in process: the configuration rows from a parsed config, and the backend
 * rows from real slots whose ports answer probe()/diagnose() the way a healthy, broken, hanging
 * or permission-starved backend would.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { DomainError } from '../../src/domain/errors.js';
import type { AdapterFactories } from '../../src/main/adapter-factories.js';
import { configRows } from '../../src/main/doctor-config.js';
import { backendRows, renderTable, runDoctor } from '../../src/main/run-doctor.js';
import type { BackendProbe } from '../../src/ports/backend-probe.port.js';
import { createTestApp, tempDir } from '../support/test-app.js';
import { like } from '../support/matchers.js';

const factory = (port: BackendProbe) => () => ({
  provider: 'test',
  endpoint: 'http://127.0.0.1:1',
  build: () => Promise.resolve(port as never),
});

describe('doctor configuration rows', () => {
  const rowsFor = (env: Record<string, string>) => configRows(loadConfig({ THREESIX_DATA_DIR: '/tmp/x', ...env }), env);

  it('fails a half-configured backend and names the missing variable', () => {
    const rows = rowsFor({ GITEA_URL: 'https://git.example.com' });
    expect(rows).toContainEqual(
      expect.objectContaining({
        backend: 'git',
        status: 'FAIL',
        detail: like.stringContaining('GITEA_TOKEN not set'),
      }),
    );
  });

  it('fails a non-loopback bind without a token, and warns about CI without a public URL', () => {
    const rows = rowsFor({
      THREESIX_HTTP_HOST: '0.0.0.0',
      WOODPECKER_URL: 'https://ci.example.com',
      WOODPECKER_TOKEN: 'wp-token-value',
    });
    expect(rows).toContainEqual(expect.objectContaining({ backend: 'http', check: 'token', status: 'FAIL' }));
    expect(rows).toContainEqual(expect.objectContaining({ backend: 'http', check: 'public url', status: 'WARN' }));
  });

  it('passes a token-protected public bind with an https public URL', () => {
    const rows = rowsFor({
      THREESIX_HTTP_HOST: '0.0.0.0',
      THREESIX_HTTP_TOKEN: 'a'.repeat(40),
      THREESIX_PUBLIC_URL: 'https://mcp.example.com',
    });
    expect(rows.filter((r) => r.status !== 'ok')).toEqual([]);
  });

  it('fails a DNS_PROVIDER whose variables are missing', () => {
    const rows = rowsFor({ DNS_PROVIDER: 'powerdns', CLOUDFLARE_API_TOKEN: 'cf-token', CLOUDFLARE_ZONE_ID: 'zone' });
    expect(rows).toContainEqual(
      expect.objectContaining({
        backend: 'dns',
        status: 'FAIL',
        detail: like.stringContaining('DNS_PROVIDER=powerdns'),
      }),
    );
  });
});

describe('doctor backend rows', () => {
  const env = {
    GITEA_URL: 'http://127.0.0.1:1',
    GITEA_TOKEN: 'gitea-secret-token',
    WOODPECKER_URL: 'http://127.0.0.1:1',
    WOODPECKER_TOKEN: 'wp-secret-token',
    REGISTRY_URL: '127.0.0.1:1',
    KUBECONFIG: '/nonexistent',
  };

  it('reports reachability, every diagnose row, failures with their code, and timeouts', async () => {
    const factories: Partial<AdapterFactories> = {
      git: factory({
        probe: () => Promise.resolve(),
        diagnose: () =>
          Promise.resolve([
            { check: 'token scopes', ok: true, detail: 'write:organization, write:repository' },
            { check: 'org access', ok: false, detail: 'token user is not an owner of threesix' },
          ]),
      }),
      ci: factory({
        probe: () =>
          Promise.reject(
            new DomainError('PERMISSION_DENIED', 'Woodpecker rejected the token gitea-secret-token', {
              hint: 'Create a new token',
            }),
          ),
      }),
      registry: factory({ probe: () => new Promise<void>(() => undefined) }),
    };
    const app = await createTestApp({ env, factories });
    const rows = await backendRows(app, 200);
    const find = (backend: string, check: string) => rows.find((r) => r.backend === backend && r.check === check);
    expect(find('database', 'sqlite')?.status).toBe('ok');
    expect(find('git', 'reachable')).toMatchObject({ status: 'ok', detail: 'test at http://127.0.0.1:1' });
    expect(find('git', 'token scopes')?.status).toBe('ok');
    expect(find('git', 'org access')).toMatchObject({
      status: 'FAIL',
      detail: 'token user is not an owner of threesix',
    });
    expect(find('ci', 'reachable')).toMatchObject({
      status: 'FAIL',
      detail: like.stringContaining('PERMISSION_DENIED'),
    });
    expect(find('registry', 'reachable')).toMatchObject({ status: 'FAIL', detail: like.stringContaining('TIMEOUT') });
    // KUBECONFIG is set but names no file: the Kubernetes adapter cannot be built (loading the
    // client library itself may outlast the 200 ms budget here, which is also a FAIL).
    expect(find('deployer', 'reachable')).toMatchObject({
      status: 'FAIL',
      detail: like.stringMatching(/NOT_CONFIGURED|TIMEOUT/),
    });
    expect(find('dns', 'configured')?.status).toBe('skip');

    const table = renderTable(rows, [env.GITEA_TOKEN, env.WOODPECKER_TOKEN]);
    expect(table).not.toContain('gitea-secret-token');
    expect(table).toContain('[redacted]');
    expect(table.split('\n')[0]).toMatch(/^BACKEND\s+CHECK\s+STATUS\s+DETAIL$/);
    expect(table).toMatch(/doctor: 4 problem\(s\), 0 warning\(s\)\n$/);
    await app.store.close();
  });
});

describe('doctor for a newcomer', () => {
  const doctorOutput = async (env: Record<string, string>, sandbox = false) => {
    let output = '';
    await runDoctor({
      sandbox,
      env: { THREESIX_DATA_DIR: tempDir(), THREESIX_LOG_LEVEL: 'error', ...env },
      write: (text) => void (output += text),
    });
    return output;
  };

  it('with nothing configured says so, and names for each backend the variables to set', async () => {
    const output = await doctorOutput({});
    expect(output).toMatch(/^config\s+backends\s+WARN\s+nothing is configured/m);
    expect(output).toMatch(/^git\s+configured\s+skip\s+not configured \(set GITEA_URL, GITEA_TOKEN\)/m);
    expect(output).toMatch(/^ci\s+configured\s+skip\s+not configured \(set WOODPECKER_URL, WOODPECKER_TOKEN\)/m);
    expect(output).toMatch(/^deployer\s+configured\s+skip\s+not configured \(set KUBECONFIG\)/m);
  });

  it('in the sandbox does not warn about THREESIX_PUBLIC_URL: the simulated pipelines reach the sandbox listener', async () => {
    const output = await doctorOutput({}, true);
    expect(output).not.toMatch(/nothing is configured/);
    expect(output).toMatch(/^http\s+public url\s+ok\s+sandbox:/m);
    expect(output).not.toMatch(/WARN/);
  });
});
