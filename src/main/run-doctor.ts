/**
 * @module main/run-doctor
 * `threesix-mcp doctor [--sandbox]`: checks the configuration and, for every configured backend,
 * reachability (`probe()`) and permissions (`diagnose()`, when the adapter has it). Prints one
 * table to stdout (doctor is not an MCP mode) and returns the exit code: 1 when any row FAILs.
 */
import { BACKEND_VARIABLES, ConfigError, loadConfig, SECRET_VARIABLES } from '../config.js';
import { isDomainError } from '../domain/errors.js';
import { backendEntries, type AppContext } from '../services/shared/app-context.js';
import { withTimeout } from '../services/shared/with-timeout.js';
import { boot, type Booted } from './boot.js';
import { describeStateStore } from './open-state-store.js';
import type { NameResolver } from '../ports/name-resolver.port.js';
import { configRows, type DoctorRow } from './doctor-config.js';
import { platformDnsRows } from './doctor-platform-dns.js';

export interface DoctorOptions {
  sandbox: boolean;
  env?: NodeJS.ProcessEnv;
  write?: (text: string) => void;
  /** Upper bound for each probe and each diagnose call. */
  timeoutMs?: number;
  /** Resolves the platform's names; the app's public resolver by default. */
  resolver?: NameResolver;
}

export async function runDoctor(options: DoctorOptions): Promise<number> {
  const env = options.env ?? process.env;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  const secrets = [...SECRET_VARIABLES]
    .map((name) => env[name])
    .filter((v): v is string => Boolean(v && v.length >= 4));
  const rows: DoctorRow[] = [];
  let booted: Booted | undefined;
  try {
    loadConfig(env);
    booted = await boot({ sandbox: options.sandbox, env });
    rows.push(...configRows(booted.config, { ...env, ...booted.sandbox?.env }, booted.sandbox?.simulated));
    if (!Object.values(booted.config.configured).some(Boolean)) {
      rows.push({
        backend: 'config',
        check: 'backends',
        status: 'WARN',
        detail:
          'nothing is configured: every tool that needs a backend answers NOT_CONFIGURED; set the variables below, or try everything with --sandbox',
      });
    }
    rows.push(...(await backendRows(booted.app, options.timeoutMs ?? 10_000)));
    if (booted.config.configured.dns && !booted.sandbox?.simulated.includes('dns')) {
      const provider = booted.app.backends.dns.info.provider ?? '';
      rows.push(...(await platformDnsRows(booted.config, options.resolver ?? booted.app.resolver, provider)));
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const variable of error.variables)
      rows.push({
        backend: 'config',
        check: variable,
        status: 'FAIL',
        detail: 'invalid value (not shown); see README configuration table',
      });
  } finally {
    await booted?.shutdown();
  }
  // Group rows by subject so each backend's lines sit together (sort is stable).
  rows.sort((a, b) => rank(a.backend) - rank(b.backend));
  write(renderTable(rows, secrets));
  return rows.some((r) => r.status === 'FAIL') ? 1 : 0;
}

export async function backendRows(app: AppContext, timeoutMs: number): Promise<DoctorRow[]> {
  const rows: DoctorRow[] = [];
  const database = describeStateStore(app.config);
  await withTimeout(app.store.ping(), timeoutMs, 'database')
    .then(() => rows.push({ backend: 'database', check: database.kind, status: 'ok', detail: database.where }))
    .catch((error) =>
      rows.push({ backend: 'database', check: database.kind, status: 'FAIL', detail: describe(error) }),
    );
  for (const [name, slot] of backendEntries(app.backends)) {
    const { mode, provider, endpoint } = slot.info;
    const label = mode === 'sandbox' ? `${name} (sandbox)` : name;
    if (mode === 'none') {
      const configured = app.config.configured[name];
      rows.push(
        configured
          ? {
              backend: name,
              check: 'adapter',
              status: 'FAIL',
              detail: 'configured, but this build has no adapter for it',
            }
          : {
              backend: name,
              check: 'configured',
              status: 'skip',
              detail: `not configured (set ${BACKEND_VARIABLES[name].join(', ')}); tools that need it answer NOT_CONFIGURED`,
            },
      );
      continue;
    }
    const where = [provider, endpoint].filter(Boolean).join(' at ');
    try {
      const port = await withTimeout(slot.get(), timeoutMs, `${name} adapter`);
      await withTimeout(port.probe(), timeoutMs, name);
      rows.push({ backend: label, check: 'reachable', status: 'ok', detail: where });
      const checks = port.diagnose ? await withTimeout(port.diagnose(), timeoutMs, `${name} diagnose`) : [];
      for (const c of checks)
        rows.push({ backend: label, check: c.check, status: c.ok ? 'ok' : 'FAIL', detail: c.detail });
    } catch (error) {
      rows.push({ backend: label, check: 'reachable', status: 'FAIL', detail: `${where}: ${describe(error)}` });
    }
  }
  return rows;
}

const ORDER = ['config', 'http', 'database', 'git', 'dns', 'ci', 'deployer', 'registry'];
const rank = (backend: string) => {
  const index = ORDER.indexOf(backend.split(' ')[0]!);
  return index < 0 ? ORDER.length : index;
};

function describe(error: unknown): string {
  // DomainError messages are safe by construction; anything else is reduced to its name and first line.
  if (isDomainError(error)) return error.toText();
  if (error instanceof Error) return `${error.name}: ${(error.message.split('\n')[0] ?? '').slice(0, 200)}`;
  return 'unexpected error';
}

const HEADER: DoctorRow = { backend: 'BACKEND', check: 'CHECK', status: 'STATUS' as never, detail: 'DETAIL' };

export function renderTable(rows: readonly DoctorRow[], secrets: readonly string[] = []): string {
  // Defence in depth: no detail may carry a configured secret, whatever an adapter put in it.
  const scrub = (text: string) =>
    secrets.reduce((s, secret) => s.split(secret).join('[redacted]'), text.replace(/\s+/g, ' '));
  const all: string[][] = [HEADER, ...rows].map((r) => [r.backend, r.check, r.status, scrub(r.detail)]);
  const width = [0, 1, 2].map((i) => Math.max(...all.map((r) => r[i]?.length ?? 0)));
  const lines = all.map((r) =>
    r
      .map((cell, i) => (i < 3 ? cell.padEnd(width[i] ?? 0) : cell))
      .join('  ')
      .trimEnd(),
  );
  const failed = rows.filter((r) => r.status === 'FAIL').length;
  const warned = rows.filter((r) => r.status === 'WARN').length;
  const summary = failed || warned ? `${failed} problem(s), ${warned} warning(s)` : 'all checks passed';
  return `${lines.join('\n')}\n\ndoctor: ${summary}\n`;
}
