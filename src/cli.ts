#!/usr/bin/env node
/**
 * threesix-mcp: the entry point. `stdio` for agents that spawn the server, `serve` for streamable
 * HTTP, `doctor` to check a configuration. Nothing is written to stdout except the protocol.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from './config.js';
import { boot } from './main/boot.js';
import { VERSION } from './main/version.js';

const USAGE = `threesix-mcp ${VERSION}

Usage:
  threesix-mcp stdio [--sandbox]                         MCP over stdin/stdout (for Claude Code and other agents)
  threesix-mcp serve [--sandbox] [--host H] [--port P]   MCP over streamable HTTP at /mcp, plus the CI webhook
  threesix-mcp doctor [--sandbox]                        check configuration and backends, print a table
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
      version: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const command = positionals[0] ?? (values.version ? 'version' : 'help');
  if (command === 'version') return void process.stderr.write(`${VERSION}\n`);
  if (command === 'help' || values.help) return void process.stderr.write(USAGE);

  if (command === 'stdio') {
    const booted = await boot({ sandbox: values.sandbox });
    const { runStdio } = await import('./main/run-stdio.js');
    await runStdio(booted);
    return;
  }
  if (command === 'serve') {
    const booted = await boot({ sandbox: values.sandbox });
    const { runServe } = await import('./main/run-serve.js');
    const port = values.port !== undefined ? Number(values.port) : booted.config.THREESIX_HTTP_PORT;
    if (!Number.isInteger(port) || port < 0 || port > 65535) fail('--port must be an integer from 0 to 65535');
    try {
      const running = await runServe(booted, { host: values.host ?? booted.config.THREESIX_HTTP_HOST, port });
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
    const { runDoctor } = await import('./main/run-doctor.js');
    process.exitCode = await runDoctor({ sandbox: values.sandbox });
    return;
  }
  fail(`unknown command "${command}"; run threesix-mcp --help`);
}

main(process.argv.slice(2)).catch(error => {
  if (error instanceof ConfigError) fail(`invalid configuration: ${error.variables.join(', ')} (check these variables; values are not shown)`);
  fail(error instanceof Error ? error.message : String(error));
});
