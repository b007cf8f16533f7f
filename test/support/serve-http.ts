/**
 * `serve` on a loopback port for an app a test composed itself: the HTTP transport, auth and
 * sessions as the CLI runs them, without the process around it (no sandbox, nothing to shut down).
 */
import { runServe, type RunningHttp } from '../../src/main/run-serve.js';
import type { AppContext } from '../../src/services/shared/app-context.js';

export function serveHttp(app: AppContext): Promise<RunningHttp> {
  return runServe(
    { config: app.config, app, logger: app.logger, sandbox: undefined, shutdown: () => Promise.resolve() },
    { host: '127.0.0.1', port: 0 },
  );
}
