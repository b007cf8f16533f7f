/**
 * @module sandbox/start-sandbox
 * `--sandbox`: for every backend without real configuration, start its stand-in on loopback and
 * return the variables that point the real adapter at it. Configured backends are left alone, so
 * an operator can mix a real Gitea with a simulated cluster.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendName, Config } from '../config.js';
import type { Logger } from '../ports/logger.port.js';
import type { RunningStandIn, StandIn } from './stand-in.js';

export interface Sandbox {
  env: Record<string, string>;
  simulated: BackendName[];
  endpoints: Partial<Record<BackendName, string>>;
  stop(): Promise<void>;
}

export function isConfigured(config: Readonly<Config>, backend: BackendName): boolean {
  const value = config.configured[backend];
  return value !== false && value !== null;
}

export async function startSandbox(config: Readonly<Config>, standIns: readonly StandIn[], logger: Logger): Promise<Sandbox> {
  const started = new Map<BackendName, RunningStandIn>();
  const env: Record<string, string> = {};
  try {
    for (const standIn of standIns) {
      if (isConfigured(config, standIn.backend) || started.has(standIn.backend)) continue;
      const dataDir = join(config.dataDir, 'sandbox', standIn.backend);
      mkdirSync(dataDir, { recursive: true });
      const running = await standIn.start({ config, dataDir, latencyMs: config.THREESIX_SANDBOX_LATENCY_MS, logger: logger.child({ standIn: standIn.backend }), started });
      started.set(standIn.backend, running);
      Object.assign(env, running.env);
    }
  } catch (error) {
    await Promise.all([...started.values()].map(s => s.stop().catch(() => undefined)));
    throw error;
  }
  const simulated = [...started.keys()];
  const endpoints = Object.fromEntries([...started].map(([name, s]) => [name, s.endpoint]));
  logger.warn('sandbox: simulating backends on loopback', {
    simulated: standIns.filter(s => started.has(s.backend)).map(s => `${s.title} (${started.get(s.backend)!.endpoint})`),
  });
  return {
    env,
    simulated,
    endpoints,
    stop: async () => {
      for (const running of [...started.values()].reverse()) await running.stop().catch(() => undefined);
    },
  };
}
