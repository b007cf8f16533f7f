/**
 * Starts a real PowerDNS authoritative server (gsqlite3 backend) on loopback ports picked per run,
 * with its HTTP API on, and creates one Native zone. Tests skip visibly when `pdns_server` is not
 * installed (Debian: pdns-server pdns-backend-sqlite3; .ci/run installs them).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { tempDir } from './test-app.js';
import { freePort } from '../../src/main/webhook-listener.js';

const SCHEMA = '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql';

export const PDNS_PRESENT =
  spawnSync('sh', ['-c', 'command -v pdns_server || test -x /usr/sbin/pdns_server'], { stdio: 'ignore' }).status ===
    0 && existsSync(SCHEMA);

if (!PDNS_PRESENT) {
  process.stderr.write(
    '\n[threesix tests] NOTE: pdns_server (or its sqlite3 schema) not found; real PowerDNS tests are SKIPPED. Install pdns-server and pdns-backend-sqlite3.\n\n',
  );
}

export interface RunningPowerDns {
  apiUrl: string;
  apiKey: string;
  dnsPort: number;
  zone: string;
  /** Raw API call with the key, for seeding records "by someone else" and for snapshots. */
  api(method: string, path: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

export async function startPowerDns(zone: string): Promise<RunningPowerDns> {
  const dir = tempDir('threesix-pdns-');
  const db = new BetterSqlite3(join(dir, 'pdns.db'));
  db.exec(readFileSync(SCHEMA, 'utf8'));
  db.close();
  const [dnsPort, apiPort] = [await freePort('127.0.0.1'), await freePort('127.0.0.1')];
  const apiKey = randomBytes(16).toString('hex');
  writeFileSync(
    join(dir, 'pdns.conf'),
    [
      'launch=gsqlite3',
      `gsqlite3-database=${join(dir, 'pdns.db')}`,
      'local-address=127.0.0.1',
      `local-port=${dnsPort}`,
      'webserver=yes',
      'webserver-address=127.0.0.1',
      `webserver-port=${apiPort}`,
      'webserver-allow-from=127.0.0.0/8',
      'api=yes',
      `api-key=${apiKey}`,
      `socket-dir=${dir}`,
      'guardian=no',
      'daemon=no',
      'disable-syslog=yes',
      // No caching: a record must answer the moment the API accepted it.
      'cache-ttl=0',
      'negquery-cache-ttl=0',
      'query-cache-ttl=0',
      'zone-cache-refresh-interval=0',
      'loglevel=3',
    ].join('\n') + '\n',
  );
  const binary = existsSync('/usr/sbin/pdns_server') ? '/usr/sbin/pdns_server' : 'pdns_server';
  const child: ChildProcess = spawn(binary, [`--config-dir=${dir}`], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk) => void (stderr = (stderr + String(chunk)).slice(-4000)));
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${apiUrl}/api/v1/servers/localhost${path}`, {
      method,
      headers: { 'X-API-Key': apiKey, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pdns_server exited (${child.exitCode}): ${stderr}`);
    const ok = await api('GET', '').then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`pdns_server did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const created = await api('POST', '/zones', { name: `${zone}.`, kind: 'Native', nameservers: [`ns1.${zone}.`] });
  if (created.status !== 201) {
    await stop();
    throw new Error(`creating the zone failed: ${created.status} ${await created.text()}`);
  }
  return { apiUrl, apiKey, dnsPort, zone, api, stop };
}
