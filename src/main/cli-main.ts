/**
 * @module main/cli-main
 * The command line: `stdio` for agents that spawn the server, `serve` for streamable HTTP, `doctor`
 * to check a configuration, `sandbox` to run the stand-ins alone, `smoke` to walk a user's path,
 * `migrate-state` to copy a SQLite state file into PostgreSQL. In the MCP modes nothing is written to
 * stdout but the protocol; `doctor`, `sandbox` (its env), `smoke` (its steps) and `migrate-state`
 * (its table counts) print their results there. src/cli.ts runs it;
 * the built dist/cli.js runs it from the code-cached start script (scripts/build.mjs).
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { boot } from './boot.js';
import { VERSION } from './version.js';

const USAGE = `threesix-mcp ${VERSION}

Usage:
  threesix-mcp stdio [--sandbox]                         MCP over stdin/stdout (for Claude Code and other agents)
  threesix-mcp serve [--sandbox] [--host H] [--port P]   MCP over streamable HTTP at /mcp, plus the CI webhook
  threesix-mcp doctor [--sandbox]                        check configuration and backends, print a table
  threesix-mcp sandbox [--write-env FILE]                run only the stand-ins; write their variables to FILE or stdout
  threesix-mcp smoke [--timeout S] [--mcp-url URL]      create, push, deploy and delete a throwaway project; print each step
  threesix-mcp platform dns [--apply]                    plan (or write) the platform's own DNS names: git, registry, ci, threesix, *
  threesix-mcp token create NAME [--scope read|write|admin] [--projects GLOB[,GLOB]] [--max-projects N] [--expires 30d]
                                                         make an agent token for /mcp (printed once; default scope write)
  threesix-mcp token list                                names, scopes, projects, last use (never the tokens)
  threesix-mcp token revoke NAME                         refuse that token from its next request on
  threesix-mcp migrate-state --from FILE [--dry-run]     copy a SQLite state file into THREESIX_DATABASE_URL (empty PostgreSQL)
  threesix-mcp --version

--sandbox starts a local stand-in for every backend that is not configured.
Configuration comes from the environment; see README.md.
`;

function fail(message: string): never {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: message })}\n`);
  process.exit(1);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      sandbox: { type: 'boolean', default: false },
      host: { type: 'string' },
      port: { type: 'string' },
      // Not --env-file: Node 20 takes any argument starting with it as its own, even after the script
      // (nodejs/node#54232).
      'write-env': { type: 'string' },
      timeout: { type: 'string' },
      'mcp-url': { type: 'string' },
      apply: { type: 'boolean', default: false },
      scope: { type: 'string' },
      projects: { type: 'string' },
      'max-projects': { type: 'string' },
      expires: { type: 'string' },
      from: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      version: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0] ?? (values.version ? 'version' : 'help');
  if (command === 'version') return void process.stderr.write(`${VERSION}\n`);
  if (command === 'help' || values.help) return void process.stderr.write(USAGE);

  if (command === 'stdio') {
    if (!values.sandbox) {
      const booted = await boot({ sandbox: false });
      const { runStdio } = await import('./run-stdio.js');
      await runStdio(booted);
      return;
    }
    // stdio has no HTTP server; in the sandbox CI still needs to reach the deploy webhook.
    const { sandboxPublicUrl, startWebhookListener } = await import('./webhook-listener.js');
    const publicUrl = await sandboxPublicUrl(process.env, '127.0.0.1', 0);
    const booted = await boot({
      sandbox: true,
      env: publicUrl ? { ...process.env, THREESIX_PUBLIC_URL: publicUrl.url } : process.env,
    });
    if (publicUrl) await startWebhookListener(booted.app, publicUrl.port);
    const { runStdio } = await import('./run-stdio.js');
    await runStdio(booted);
    return;
  }
  if (command === 'serve') {
    const defaults = loadConfig(process.env);
    let port = values.port !== undefined ? Number(values.port) : defaults.THREESIX_HTTP_PORT;
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be an integer from 0 to 65535');
    const host = values.host ?? defaults.THREESIX_HTTP_HOST;
    let env = process.env;
    if (values.sandbox) {
      // The pipeline template needs the webhook URL before the server binds: fix the port now.
      const { sandboxPublicUrl } = await import('./webhook-listener.js');
      const publicUrl = await sandboxPublicUrl(process.env, host, port);
      if (publicUrl) ({ port } = publicUrl);
      if (publicUrl) env = { ...process.env, THREESIX_PUBLIC_URL: publicUrl.url };
    }
    const booted = await boot({ sandbox: values.sandbox, env, backgroundCheckpoints: true });
    const { runServe } = await import('./run-serve.js');
    try {
      const running = await runServe(booted, { host, port });
      const stop = () => void running.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    } catch (error) {
      await booted.shutdown();
      fail((error as Error).message);
    }
    return;
  }
  if (command === 'doctor') {
    const { runDoctor } = await import('./run-doctor.js');
    process.exitCode = await runDoctor({ sandbox: values.sandbox });
    return;
  }
  if (command === 'sandbox') {
    const { runSandbox } = await import('./run-sandbox.js');
    await runSandbox({ envFile: values['write-env'] });
    return;
  }
  if (command === 'smoke') {
    const timeoutS = values.timeout !== undefined ? Number(values.timeout) : 300;
    if (!Number.isInteger(timeoutS) || timeoutS < 1 || timeoutS > 3600)
      fail('--timeout must be a whole number of seconds from 1 to 3600');
    const { runSmoke } = await import('./run-smoke.js');
    process.exitCode = await runSmoke({ timeoutMs: timeoutS * 1000, mcpUrl: values['mcp-url'] });
    return;
  }
  if (command === 'platform' && positionals[1] === 'dns') {
    const { runPlatformDns } = await import('./run-platform-dns.js');
    process.exitCode = await runPlatformDns({ apply: values.apply });
    return;
  }
  if (command === 'token') {
    const { runToken } = await import('./run-token.js');
    process.exitCode = await runToken(positionals.slice(1), {
      scope: values.scope,
      projects: values.projects,
      maxProjects: values['max-projects'],
      expires: values.expires,
    });
    return;
  }
  if (command === 'migrate-state' && positionals.length === 1) {
    const { runMigrateState } = await import('./run-migrate-state.js');
    process.exitCode = await runMigrateState({ from: values.from, dryRun: values['dry-run'] });
    return;
  }
  // A person typed this: say what went wrong and show the usage, on stderr (stdout may be a protocol
  // pipe), and exit 2, the usual code for a usage error.
  const what =
    command === 'platform'
      ? `unknown platform command "${positionals[1] ?? ''}"`
      : command === 'migrate-state'
        ? `migrate-state takes no argument "${positionals[1]}"`
        : `unknown command "${command}"`;
  process.stderr.write(`threesix-mcp: ${what}\n\n${USAGE}`);
  process.exitCode = 2;
}

/** Runs one command line; a failure ends the process with a JSON log line on stderr and exit code 1. */
export function runCli(argv: string[]): Promise<void> {
  return main(argv).catch((error) => {
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_')) {
      process.stderr.write(`threesix-mcp: ${(error as Error).message}\n\n${USAGE}`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof ConfigError)
      fail(`invalid configuration: ${error.variables.join(', ')} (check these variables; values are not shown)`);
    fail(error instanceof Error ? error.message : String(error));
  });
}
