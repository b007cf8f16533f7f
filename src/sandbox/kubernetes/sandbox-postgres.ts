/**
 * @module sandbox/kubernetes/sandbox-postgres
 * A real PostgreSQL behind each CloudNativePG Cluster of the stand-in, when the binaries are
 * installed (Debian's `postgresql` package: /usr/lib/postgresql/<major>/bin): initdb into a fresh
 * directory, `postgres` listening on a free loopback port only, and the database and owner the
 * operator's initdb bootstrap makes (`app`/`app`, cloudnative-pg pkg/specs/secrets.go and
 * api/v1/cluster_types.go BootstrapInitDB defaults), with a random password.
 *
 * initdb and postgres refuse to run as root. When the stand-in runs as root (CI), both are started
 * with Node's spawn `uid`/`gid` (a setuid in the child before exec, as Debian's pg_ctlcluster
 * switches to the cluster owner) as the `postgres` user when it exists, else `nobody`; their data
 * directory is then a fresh owner-only directory under the system temp dir chowned to that user,
 * because the sandbox data dir's parents (a 0700 mkdtemp directory in tests) are not traversable
 * by it. As any other user, the data lives under the sandbox data dir. It is removed when the
 * instance stops: the stand-in's objects are held in memory and do not outlive it either.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresBinaries {
  dir: string;
  major: number;
}

export interface PostgresInstance {
  port: number;
  user: string;
  password: string;
  database: string;
  stop(): Promise<void>;
}

/** The newest Debian-installed server, else initdb and postgres on PATH; undefined when absent. */
export function findPostgres(): PostgresBinaries | undefined {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .map(Number)
        .filter((n) => Number.isInteger(n) && existsSync(join(root, String(n), 'bin', 'initdb')))
        .sort((a, b) => b - a)
    : [];
  if (majors.length > 0) return { dir: join(root, String(majors[0])), major: majors[0]! };
  for (const dir of (process.env.PATH ?? '').split(':').filter(Boolean)) {
    if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'postgres')) && existsSync(join(dir, 'psql')))
      return { dir: join(dir, '..'), major: 0 };
  }
  return undefined;
}

const bin = (b: PostgresBinaries, name: string) =>
  existsSync(join(b.dir, 'bin', name)) ? join(b.dir, 'bin', name) : name;

interface RunAs {
  uid?: number;
  gid?: number;
}

/** As root: the `postgres` user when present, else `nobody` (from /etc/passwd). Otherwise ourselves. */
function unprivileged(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const users = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((line) => line.split(':'));
  const entry = users.find((u) => u[0] === 'postgres') ?? users.find((u) => u[0] === 'nobody');
  if (!entry) throw new Error('running as root and no postgres or nobody user to run PostgreSQL as');
  return { uid: Number(entry[2]), gid: Number(entry[3]) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function run(command: string, args: string[], as: RunAs, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...as, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command.split('/').at(-1)} exited with ${code}: ${output.slice(-500)}`)),
    );
  });
}

/**
 * Every postgres this process started (and its directory), killed and removed at exit so none
 * outlives a stand-in that did not stop cleanly.
 */
const live = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const [child, home] of live) {
    child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }
});

export async function startPostgres(
  binaries: PostgresBinaries,
  dataRoot: string,
  name: string,
): Promise<PostgresInstance> {
  const as = unprivileged();
  let home: string;
  if (as.uid !== undefined) {
    home = mkdtempSync(join(tmpdir(), `threesix-pg-${name}-`));
    chownSync(home, as.uid, as.gid!);
  } else {
    home = join(dataRoot, 'cnpg', `${name}-${randomBytes(4).toString('hex')}`);
    mkdirSync(home, { recursive: true, mode: 0o700 });
  }
  const data = join(home, 'data');
  const env = { PATH: process.env.PATH, LC_ALL: 'C', LANG: 'C', HOME: home, PGTZ: 'UTC' };
  const cleanup = () => rmSync(home, { recursive: true, force: true });
  let server: ChildProcess | undefined;
  try {
    // Local socket connections are trusted (only the stand-in uses them, to create the app role);
    // TCP needs the password.
    await run(
      bin(binaries, 'initdb'),
      ['-D', data, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '--no-sync'],
      as,
      env,
    );
    const port = await freePort();
    server = spawn(
      bin(binaries, 'postgres'),
      ['-D', data, '-p', String(port), '-k', home, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
      { ...as, env, stdio: 'ignore' },
    );
    live.set(server, home);
    const started = server;
    const exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    started.once('exit', () => live.delete(started));
    const password = randomBytes(18).toString('base64url');
    const psql = (sql: string) =>
      run(
        bin(binaries, 'psql'),
        ['-h', home, '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qAtc', sql],
        as,
        env,
      );
    await waitUntilAccepting(() => psql('select 1'), started);
    // The password is base64url: no quote can end the literal.
    await psql(`CREATE ROLE app LOGIN PASSWORD '${password}'`);
    await psql('CREATE DATABASE app OWNER app');
    return {
      port,
      user: 'app',
      password,
      database: 'app',
      async stop() {
        // SIGINT is PostgreSQL's fast shutdown: sessions are ended, nothing is left half-written.
        if (started.exitCode === null) started.kill('SIGINT');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (started.exitCode === null) started.kill('SIGKILL');
        cleanup();
      },
    };
  } catch (error) {
    server?.kill('SIGKILL');
    cleanup();
    throw error;
  }
}

async function waitUntilAccepting(probe: () => Promise<unknown>, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      await probe();
      return;
    } catch (error) {
      if (server.exitCode !== null || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
