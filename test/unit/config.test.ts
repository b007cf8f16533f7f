import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { CLI, assertBuilt } from '../support/mcp-clients.js';

describe('configuration', () => {
  it('starts with no backend configured and says so per backend', () => {
    const config = loadConfig({});
    expect(config.configured).toEqual({ git: false, dns: null, ci: false, deployer: false, registry: false });
    expect(config.DEPLOY_NAMESPACE).toBe('projects');
    expect(config.databaseFile).toMatch(/\.threesix\/threesix\.db$/);
  });

  it('detects configured backends and picks the DNS provider', () => {
    const config = loadConfig({
      GITEA_URL: 'https://git.example.com',
      GITEA_TOKEN: 't',
      PDNS_API_URL: 'http://127.0.0.1:8081',
      PDNS_API_KEY: 'k',
      REGISTRY_URL: 'zot.example:5000',
    });
    expect(config.configured).toMatchObject({ git: true, dns: 'powerdns', registry: true, ci: false });
    const both = loadConfig({
      CLOUDFLARE_API_TOKEN: 'c',
      CLOUDFLARE_ZONE_ID: 'z',
      PDNS_API_URL: 'http://x:1',
      PDNS_API_KEY: 'k',
      DNS_PROVIDER: 'powerdns',
    });
    expect(both.configured.dns).toBe('powerdns');
  });

  it('names every invalid variable and never its value', () => {
    const secret = 'not-a-url-but-a-secret-value';
    try {
      loadConfig({
        GITEA_URL: secret,
        THREESIX_HTTP_PORT: '99999',
        THREESIX_TOOLSETS: 'project,bogus',
        CLUSTER_IP: 'x',
      });
      throw new Error('expected ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).variables.sort()).toEqual([
        'CLUSTER_IP',
        'GITEA_URL',
        'THREESIX_HTTP_PORT',
        'THREESIX_TOOLSETS',
      ]);
      expect((error as Error).message).not.toContain(secret);
    }
  });

  it('the CLI exits 1 on invalid configuration, naming the variable but not the value', () => {
    assertBuilt();
    const value = 'https://user:hunter2@';
    const result = spawnSync(process.execPath, [CLI, 'stdio'], {
      env: { PATH: process.env.PATH, GITEA_URL: value },
      encoding: 'utf8',
      input: '',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('GITEA_URL');
    expect(result.stderr).not.toContain('hunter2');
    expect(result.stdout).toBe('');
  });
});
