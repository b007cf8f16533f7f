/**
 * @module main/run-smoke
 * `threesix-mcp smoke`: the path a user cares about, against whatever the environment configures
 * (the variables `serve` and `stdio` read): create a throwaway project `smoke-<random>`, push a
 * commit with real git, wait for CI and the rollout, check the live site, delete the project.
 * Each step prints one line with its time on stdout (smoke is not an MCP mode); the run stops at
 * the first failure, always deletes what it created, and returns 1 if anything failed.
 *
 * It drives threesix through an MCP client: the steps call the very tools an agent calls, with their
 * schemas, checks and error shapes, so a passing smoke means an agent's path works, and it depends
 * on the tools' published contract, not on service signatures inside this codebase. By default the
 * client is linked in-process to a server built from this environment (no socket); CI's callback
 * then has to reach this process or a threesix on its database. With `--mcp-url` it talks to a
 * running threesix instead (`https://threesix.<zone>/mcp`, bearer THREESIX_HTTP_TOKEN), which is
 * how an operator checks a cluster from a machine with git: that server receives CI's callback.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, SANDBOX_GIT_PASSWORD, SECRET_VARIABLES, type BackendName } from '../config.js';
import { createMcpServer } from '../mcp/create-server.js';
import { boot } from './boot.js';
import { buildCatalog } from './catalog.js';
import { serverHooks } from './server-hooks.js';
import { createSmokeReport, StepFailed, type SmokeReport } from './smoke-report.js';
import { smokeSteps, type CallTool } from './smoke-steps.js';
import { VERSION } from './version.js';
import { sandboxPublicUrl, startWebhookListener } from './webhook-listener.js';

export interface SmokeOptions {
  env?: NodeJS.ProcessEnv;
  write?: (text: string) => void;
  /** Longest wait for CI and the rollout, and for the live URL. */
  timeoutMs?: number;
  /** MCP endpoint of a running threesix to drive instead of one built in this process. */
  mcpUrl?: string;
}

/** What the path needs: a repository to push to, CI to build, a registry to build into, a cluster to run it. */
const NEEDED: readonly BackendName[] = ['git', 'ci', 'registry', 'deployer'];

export async function runSmoke(options: SmokeOptions = {}): Promise<number> {
  const env = options.env ?? process.env;
  const write = options.write ?? ((text: string) => void process.stdout.write(text));
  // The sandbox's published git password is no secret, and scrubbing the word would mangle paths.
  const secrets = [...SECRET_VARIABLES]
    .map((name) => env[name])
    .filter((v): v is string => Boolean(v && v.length >= 4 && v !== SANDBOX_GIT_PASSWORD));
  const report = createSmokeReport(write, secrets);
  const startedAt = performance.now();
  const project = `smoke-${randomBytes(3).toString('hex')}`;
  report.line(`threesix ${VERSION} smoke check: project ${project}`);
  let running: Running | undefined;
  let failure: string | undefined;
  let mayExist = false;
  // Ctrl-C (or SIGTERM) while waiting still deletes the project first; a second one quits at once.
  const interrupted = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    report.line(`${signal}: stopping; the project is deleted first (send ${signal} again to quit at once)`);
    interrupted.abort(new Error(`interrupted by ${signal}`));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    running = await report.step('configuration', () =>
      options.mcpUrl ? connectRemote(env, options.mcpUrl) : startInProcess(env),
    );
    const steps = smokeSteps({
      call: running.call,
      report,
      gitToken: running.gitToken,
      timeoutMs: options.timeoutMs ?? 300_000,
      signal: interrupted.signal,
    });
    mayExist = true;
    const created = await steps.create(project);
    const pushed = await steps.push(created);
    await steps.awaitRollout(project, pushed);
    await steps.checkWorkload(project, pushed);
    await steps.checkLiveUrl(created, pushed);
  } catch (error) {
    failure = error instanceof StepFailed ? error.step : 'unexpected error';
    if (!(error instanceof StepFailed))
      report.line(`FAIL unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    if (running && mayExist) {
      const cleaned = await cleanUp(running, report, project);
      if (!cleaned) failure ??= 'cleanup';
    }
    await running?.close();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  report.line(failure ? `smoke: FAILED at ${failure} after ${seconds} s` : `smoke: passed in ${seconds} s`);
  return failure ? 1 : 0;
}

interface Running {
  call: CallTool;
  gitToken: string;
  /** Where a left-over project can be deleted from, for the cleanup message. */
  deleteFrom: string;
  close(): Promise<void>;
}

function callThrough(client: Client): CallTool {
  return async (name, args) => {
    const result = await client.callTool({ name, arguments: args });
    // Tool errors read `CODE: message. hint` and never carry a secret.
    if (result.isError) throw new Error((result.content as Array<{ text?: string }>)[0]?.text ?? `${name} failed`);
    return result.structuredContent as Record<string, unknown>;
  };
}

async function startInProcess(env: NodeJS.ProcessEnv): Promise<{ value: Running; detail: string }> {
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError)
      throw new Error(`invalid configuration: ${error.variables.join(', ')} (values are not shown)`);
    throw error;
  }
  const missing = NEEDED.filter((backend) => !config.configured[backend]);
  if (missing.length > 0)
    throw new Error(
      `not configured: ${missing.join(', ')}; the smoke check needs git, CI, a registry and a cluster (see README configuration; threesix-mcp sandbox simulates them)`,
    );
  // CI's notify step must reach a threesix sharing this database. Without THREESIX_PUBLIC_URL that is
  // this process, on a loopback listener (as `stdio --sandbox` does).
  const publicUrl = await sandboxPublicUrl(env, '127.0.0.1', 0);
  const booted = await boot({ sandbox: false, env: publicUrl ? { ...env, THREESIX_PUBLIC_URL: publicUrl.url } : env });
  let listener: Awaited<ReturnType<typeof startWebhookListener>> | undefined;
  try {
    if (publicUrl) listener = await startWebhookListener(booted.app, publicUrl.port);
  } catch (error) {
    await booted.shutdown();
    throw error;
  }
  const server = createMcpServer(booted.app, buildCatalog(booted.config), serverHooks(booted.app));
  const [clientTransport, serverTransport] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'threesix-smoke', version: VERSION });
  await Promise.all([server.connect(serverTransport), client.connect(clientTransport)]);
  const callback = listener
    ? `CI calls back to this process at ${listener.url}`
    : `CI calls back to THREESIX_PUBLIC_URL (${booted.config.THREESIX_PUBLIC_URL}), which must be a threesix on this database (${booted.config.databaseFile})`;
  return {
    value: {
      call: callThrough(client),
      gitToken: booted.config.GITEA_TOKEN ?? '',
      deleteFrom: `from a threesix on this THREESIX_DATA_DIR (${booted.config.dataDir})`,
      close: async () => {
        await client.close().catch(() => undefined);
        await listener?.close().catch(() => undefined);
        await booted.shutdown();
      },
    },
    detail: `${NEEDED.map((b) => `${b} ${booted.app.backends[b].info.endpoint ?? booted.app.backends[b].info.provider ?? 'configured'}`).join(', ')}; ${callback}`,
  };
}

async function connectRemote(env: NodeJS.ProcessEnv, mcpUrl: string): Promise<{ value: Running; detail: string }> {
  let url: URL;
  try {
    url = new URL(mcpUrl);
  } catch {
    url = new URL('invalid:');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new Error(
      '--mcp-url must be an http(s) URL of a threesix MCP endpoint, e.g. https://threesix.example.com/mcp',
    );
  // The push goes straight to Gitea with the operator's token; the server never hands one out.
  if (!env.GITEA_TOKEN)
    throw new Error(
      'GITEA_TOKEN is not set; with --mcp-url the smoke check pushes with it (a token that may write to the project repositories)',
    );
  const token = env.THREESIX_HTTP_TOKEN;
  const transport = new StreamableHTTPClientTransport(url, {
    requestInit: { headers: token ? { authorization: `Bearer ${token}` } : {} },
  });
  const client = new Client({ name: 'threesix-smoke', version: VERSION });
  try {
    await client.connect(transport);
  } catch (error) {
    // fetch's own message is only "fetch failed"; the reason is in its cause.
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `${url.href} did not answer as an MCP endpoint: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
    );
  }
  const server = client.getServerVersion();
  return {
    value: {
      call: callThrough(client),
      gitToken: env.GITEA_TOKEN,
      deleteFrom: `through ${url.href}`,
      close: () => client.close().catch(() => undefined),
    },
    detail: `threesix ${server?.version ?? '(unknown version)'} at ${url.href}; CI calls back to that server`,
  };
}

/** delete_project in any case; a project that never came to be is fine. Returns false when something is left. */
async function cleanUp(running: Running, report: SmokeReport, project: string): Promise<boolean> {
  try {
    await report.step(`delete project ${project}`, async () => {
      try {
        const removed = await running.call('delete_project', { project, confirm: project });
        const archived = removed.archived as string[];
        const warnings = removed.warnings as string[];
        if (warnings.length > 0) throw new Error(`left in place: ${warnings.join('; ')}`);
        return {
          value: undefined,
          detail: `removed ${(removed.removed as string[]).join(', ')}${archived.length ? `; archived (THREESIX_DELETE_REPOS=archive) ${archived.join(', ')}` : ''}`,
        };
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('NOT_FOUND'))
          return { value: undefined, detail: 'nothing was created', status: 'skip' };
        throw error;
      }
    });
    return true;
  } catch {
    report.line(
      `cleanup FAILED: project ${project} may be left behind; fix the cause above, then remove it with delete_project {"project": "${project}", "confirm": "${project}"} ` +
        `${running.deleteFrom}, which resumes the failed delete`,
    );
    return false;
  }
}
