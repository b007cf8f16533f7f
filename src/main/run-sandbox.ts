/**
 * @module main/run-sandbox
 * `threesix-mcp sandbox [--write-env FILE]`: the stand-ins alone, as a platform simulator on
 * loopback. No MCP server and no database: it writes the variables that point a threesix (or curl
 * and kubectl) at the stand-ins to FILE, or to stdout, and runs until SIGINT or SIGTERM. Ports and
 * sandbox tokens are saved in THREESIX_DATA_DIR, so the same variables work after a restart.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createJsonLogger } from '../adapters/log/json-logger.js';
import { loadConfig, SECRET_VARIABLES } from '../config.js';
import { standIns } from '../sandbox/index.js';
import { startSandbox, type Sandbox } from '../sandbox/start-sandbox.js';
import { VERSION } from './version.js';

export interface RunSandboxOptions {
  envFile?: string;
  env?: NodeJS.ProcessEnv;
}

export async function runSandbox(options: RunSandboxOptions): Promise<void> {
  const env = options.env ?? process.env;
  const config = loadConfig(env);
  const secrets = [...SECRET_VARIABLES].map((name) => env[name]).filter((v): v is string => Boolean(v));
  const logger = createJsonLogger({ level: config.THREESIX_LOG_LEVEL, secrets });
  const sandbox = await startSandbox(config, standIns, logger, { busyPort: 'fail' });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await sandbox.stop();
    logger.info('sandbox stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  try {
    const text = renderEnvFile(platformVariables(sandbox, config), config.dataDir);
    if (options.envFile) writeFileSync(resolve(options.envFile), text, { mode: 0o600 });
    else process.stdout.write(text);
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
  logger.info('sandbox ready; stop it with Ctrl-C (SIGINT) or SIGTERM', {
    envFile: options.envFile ? resolve(options.envFile) : 'stdout',
    simulated: sandbox.simulated,
    saved: sandbox.savedFile,
  });
}

/**
 * What a threesix needs besides the stand-ins' own variables: the zone the DNS stand-in serves, the
 * organization the Gitea stand-in made, and the IP its platform records point at.
 */
function platformVariables(sandbox: Sandbox, config: ReturnType<typeof loadConfig>): Record<string, string> {
  return {
    ...sandbox.env,
    DEFAULT_DOMAIN: config.DEFAULT_DOMAIN,
    GITEA_DEFAULT_ORG: config.GITEA_DEFAULT_ORG,
    CLUSTER_IP: config.CLUSTER_IP,
  };
}

/** KEY=value lines that `set -a; . FILE`, `node --env-file` and docker's --env-file all read the same way. */
export function renderEnvFile(variables: Record<string, string>, dataDir: string): string {
  const lines = Object.entries(variables)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => {
      // Ports, URLs, hex tokens and most paths need no quotes; anything else is refused rather than
      // quoted, because docker's --env-file would keep the quotes as part of the value.
      if (!/^[\w./:@%+,=-]*$/.test(value))
        throw new Error(
          `${key} (a sandbox variable) holds characters an env file cannot carry unquoted; use a data dir path without spaces or quotes`,
        );
      return `${key}=${value}`;
    });
  return [
    `# threesix ${VERSION} sandbox on ${dataDir}: stand-ins on loopback; load with: set -a; . ./FILE; set +a`,
    ...lines,
    '',
  ].join('\n');
}
