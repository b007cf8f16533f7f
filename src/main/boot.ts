/**
 * @module main/boot
 * Shared start-up for every command: configuration, logger, optional sandbox, the app context.
 */
import { createJsonLogger } from '../adapters/log/json-logger.js';
import { loadConfig, SECRET_VARIABLES, type Config } from '../config.js';
import type { Logger } from '../ports/logger.port.js';
import type { AppContext } from '../services/shared/app-context.js';
import type { Sandbox } from '../sandbox/start-sandbox.js';
import { composeApp } from './compose.js';

export interface Booted {
  config: Readonly<Config>;
  app: AppContext;
  logger: Logger;
  sandbox: Sandbox | undefined;
  shutdown(): Promise<void>;
}

/**
 * Work that starts once the transport is connected, off the `initialize` path: opening the
 * database, then whatever resumes after a restart (interrupted operations, queued deploys).
 */
export function startBackground(booted: Booted, tasks: ReadonlyArray<(app: AppContext) => Promise<void>> = []): void {
  setTimeout(() => {
    void booted.app.store
      .ping()
      .then(async () => {
        for (const task of tasks)
          await task(booted.app).catch((error) => booted.logger.error('start-up task failed', { err: error }));
      })
      .catch((error) => booted.logger.error('database unavailable', { err: error, file: booted.config.databaseFile }));
  }, 20).unref();
}

export async function boot(options: {
  sandbox: boolean;
  env?: NodeJS.ProcessEnv;
  backgroundCheckpoints?: boolean;
}): Promise<Booted> {
  const env = options.env ?? process.env;
  let config = loadConfig(env);
  let logger = loggerFor(config, env);
  let sandbox: Sandbox | undefined;
  if (options.sandbox) {
    // Stand-ins (and the HTTP servers they run) load only with --sandbox, never on the normal start path.
    const [{ standIns }, { startSandbox }] = await Promise.all([
      import('../sandbox/index.js'),
      import('../sandbox/start-sandbox.js'),
    ]);
    sandbox = await startSandbox(config, standIns, logger);
    config = loadConfig({ ...env, ...sandbox.env });
    logger = loggerFor(config, { ...env, ...sandbox.env });
  }
  const app = await composeApp(config, logger, {
    simulated: sandbox?.simulated ?? [],
    backgroundCheckpoints: options.backgroundCheckpoints,
  });
  let closed = false;
  return {
    config,
    app,
    logger,
    sandbox,
    async shutdown() {
      if (closed) return;
      closed = true;
      // The lead and this replica's liveness first: another replica takes over at its next look.
      await app.leadership.close().catch(() => undefined);
      await app.events.close().catch(() => undefined);
      await app.store.close().catch(() => undefined);
      await sandbox?.stop();
    },
  };
}

function loggerFor(config: Readonly<Config>, env: NodeJS.ProcessEnv): Logger {
  const secrets = [...SECRET_VARIABLES].map((name) => env[name]).filter((v): v is string => Boolean(v));
  return createJsonLogger({ level: config.THREESIX_LOG_LEVEL, secrets });
}
