/**
 * @module mcp/create-server
 * Builds one McpServer: a factory, never a singleton, because streamable HTTP needs one server per
 * session. Every tool goes through one wrapper that times it, audits writes, and turns failures
 * into `CODE: message. hint` results.
 */
import {
  McpServer,
  ResourceTemplate,
  type RegisteredTool,
  type ToolCallback,
} from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import { isDomainError } from '../domain/errors.js';
import {
  authorizeCall,
  recordOwner,
  scopeRefusal,
  targetProject,
  type CallShape,
} from '../services/access/authorize-call.js';
import type { AccessIdentity } from '../services/access/identity.js';
import { matchesProjectPatterns } from '../services/access/project-patterns.js';
import { withinProjectLimit } from '../services/access/project-quota.js';
import { projectNotFound, scopedApp } from '../services/access/scoped-app.js';
import { scopeAllows } from '../services/access/scope-rules.js';
import type { AppContext } from '../services/shared/app-context.js';
import { approveDestructive } from './approve-destructive.js';
import type { AnyPrompt } from './define-prompt.js';
import type { ResourceDefinition } from './define-resource.js';
import { isTemplate } from './define-resource.js';
import type { AnyTool, ToolContext } from './define-tool.js';
import { attachLazySchemas, rewriteSdkToolErrors } from './sdk-internals.js';
import { compactToolList } from './compact-tool-list.js';
import { rewriteSdkError, toErrorResult, toSuccessResult } from './tool-result.js';

export interface Catalog {
  tools: readonly AnyTool[];
  resources: readonly ResourceDefinition[];
  prompts: readonly AnyPrompt[];
}

export interface ServerHooks {
  /** Called after every tool call, for metrics. */
  onToolCall?(tool: string, outcome: { ok: boolean; code?: string; durationMs: number }): void;
  /** Wires per-server extras (resource subscriptions, say) once the server exists. */
  extend?(server: McpServer, app: AppContext): void;
}

const RESOURCE_NOT_FOUND = -32002;

const resourceError = (code: number, message: string, data?: Record<string, unknown>) =>
  Object.assign(new Error(message), { code, data });

/**
 * `identity` is who opened the session over HTTP (a token); undefined for stdio and an open
 * loopback server, which act as the operator. A token's session lists only the tools its scope may
 * call, and sees only its projects (scoped-app.ts).
 */
export function createMcpServer(
  rootApp: AppContext,
  catalog: Catalog,
  hooks: ServerHooks = {},
  identity?: AccessIdentity,
): McpServer {
  const app = identity ? scopedApp(rootApp, identity) : rootApp;
  const server = new McpServer(
    { name: 'threesix', title: 'threesix', version: app.version },
    {
      capabilities: { logging: {} },
      instructions:
        'threesix gives you git repositories, CI, DNS names and live HTTPS sites on a self-hosted platform. ' +
        'Start with create_project; after the first push to main the site deploys itself. ' +
        'Read threesix://server to see which backends are configured.',
    },
  );
  // The SDK reports its own failures (schema validation, unknown tool) as bare text; rewrite them
  // so every failure an agent sees has the same `CODE: message. hint` shape.
  rewriteSdkToolErrors(server, (message) => outOfScope(message) ?? rewriteSdkError(message));

  // Tools beyond a token's scope are registered disabled: tools/list leaves them out, and a call
  // gets PERMISSION_DENIED naming the scope it needs instead of an unknown tool.
  const hidden = new Map<string, AnyTool>();
  for (const tool of catalog.tools) {
    const registered = registerTool(server, app, tool, hooks, identity);
    if (identity && !scopeAllows(identity.scope, tool.annotations)) {
      registered.disable();
      hidden.set(tool.name, tool);
    }
  }
  compactToolList(server);
  function outOfScope(message: string): string | undefined {
    const tool = hidden.get(/Tool (\S+) disabled/.exec(message)?.[1] ?? '');
    return tool && identity ? scopeRefusal(identity, tool).toText() : undefined;
  }
  for (const resource of catalog.resources) registerResource(server, app, resource, identity);
  for (const prompt of catalog.prompts) {
    server.registerPrompt(
      prompt.name,
      { title: prompt.title, description: prompt.description, argsSchema: prompt.args },
      (args: Record<string, string | undefined>) => ({
        messages: [{ role: 'user' as const, content: { type: 'text' as const, text: prompt.render(args as never) } }],
      }),
    );
  }
  hooks.extend?.(server, app);
  return server;
}

function registerTool(
  server: McpServer,
  app: AppContext,
  tool: AnyTool,
  hooks: ServerHooks,
  identity: AccessIdentity | undefined,
): RegisteredTool {
  const registered = server.registerTool(
    tool.name,
    {
      title: tool.title,
      description: tool.description,
      annotations: { title: tool.title, ...tool.annotations },
    },
    // Registered without schemas (attachLazySchemas adds them), which the SDK's types read as a
    // handler without input; at call time the schema is there and the SDK passes (input, extra).
    (async (input: Record<string, unknown>, extra: RequestHandlerExtra<ServerRequest, ServerNotification>) => {
      const started = performance.now();
      const client = server.server.getClientVersion()?.name ?? 'unknown';
      const logger = app.logger.child({
        tool: tool.name,
        requestId: String(extra.requestId),
        session: extra.sessionId,
      });
      const progressToken = extra._meta?.progressToken;
      const ctx: ToolContext = {
        app,
        logger,
        // A token's name, never what the client says it is: clients name themselves.
        actor: identity ? identity.name : `mcp:${client}`,
        signal: extra.signal,
        progress: async (progress, total, message) => {
          if (progressToken === undefined) return;
          await extra
            .sendNotification({ method: 'notifications/progress', params: { progressToken, progress, total, message } })
            .catch(() => undefined);
        },
      };
      let result: CallToolResult;
      let code: string | undefined;
      const shape: CallShape = { ...tool, inputFields: Object.keys(tool.input()) };
      try {
        if (identity) await authorizeCall(app, identity, shape, input);
        if (tool.annotations.destructiveHint && app.config.THREESIX_APPROVAL === 'destructive') {
          const preview = shape.inputFields.includes('dryRun')
            ? async () => (await tool.handler({ ...input, dryRun: true }, ctx)).summary
            : undefined;
          await approveDestructive(server, {
            tool,
            target: targetProject(shape, input) ?? firstText(input, ['name', 'id']) ?? 'everything',
            input,
            requestId: extra.requestId,
            signal: extra.signal,
            preview,
          });
        }
        // create_project by a token with --max-projects: counted and owned under the token's lock.
        const outcome = await withinProjectLimit(app, identity, tool.name, targetProject(shape, input), () =>
          tool.handler(input, ctx),
        );
        result = toSuccessResult(outcome.summary, outcome.data);
      } catch (error) {
        const failed = toErrorResult(error, logger);
        code = failed.errorCode;
        result = { content: failed.content, isError: true };
      }
      const durationMs = Math.round(performance.now() - started);
      logger.info('tool call', { ok: !code, code, durationMs });
      hooks.onToolCall?.(tool.name, { ok: !code, code, durationMs });
      if (identity && !code)
        await recordOwner(app, identity, shape, input).catch((error) =>
          logger.error('recording the project owner failed', { err: error }),
        );
      if (!tool.annotations.readOnlyHint) await audit(app, tool, ctx.actor, input, code);
      return result;
    }) as unknown as ToolCallback,
  );
  attachLazySchemas(registered, tool);
  return registered;
}

async function audit(
  app: AppContext,
  tool: AnyTool,
  actor: string,
  input: Record<string, unknown>,
  code: string | undefined,
) {
  const target = firstText(input, ['project', 'name', 'id']) ?? '-';
  await app.store.audit
    .record({
      actor,
      action: tool.name,
      target,
      result: code ? 'error' : 'ok',
      // Only names and flags: env, secrets and keys are never copied into the audit trail.
      detail: { dryRun: input.dryRun === true, code: code ?? null, fields: Object.keys(input).sort() },
    })
    .catch((error) => app.logger.error('audit write failed', { err: error }));
}

function registerResource(
  server: McpServer,
  app: AppContext,
  resource: ResourceDefinition,
  identity: AccessIdentity | undefined,
): void {
  const metadata = { title: resource.title, description: resource.description, mimeType: 'application/json' };
  const read = async (uri: URL, variables: Record<string, string | string[]>) => {
    const flat = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, Array.isArray(v) ? v[0]! : v]));
    try {
      // Per-project templates name the project {name}: one outside the token's patterns is absent.
      if (identity && flat.name !== undefined && !matchesProjectPatterns(identity.projects, flat.name))
        throw projectNotFound(flat.name);
      const doc = await resource.read(app, uri, flat);
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(doc, null, 2) }] };
    } catch (error) {
      // Not McpError: its message already carries "MCP error <code>: ", and the client prefixes
      // the code again, so agents read the prefix twice. The SDK sends `code`, `message`, `data`.
      if (isDomainError(error) && error.code === 'NOT_FOUND')
        throw resourceError(RESOURCE_NOT_FOUND, error.toText(), { uri: uri.href });
      if (isDomainError(error)) throw resourceError(-32603, error.toText());
      throw error;
    }
  };
  if (!isTemplate(resource.uri)) {
    server.registerResource(resource.name, resource.uri, metadata, (uri) => read(uri, {}));
    return;
  }
  const complete = Object.fromEntries(
    Object.entries(resource.complete ?? {}).map(([variable, fn]) => [variable, (value: string) => fn(app, value)]),
  );
  const template = new ResourceTemplate(resource.uri, {
    list: resource.list
      ? async () => ({ resources: (await resource.list!(app)).map((r) => ({ ...r, mimeType: 'application/json' })) })
      : undefined,
    complete,
  });
  server.registerResource(resource.name, template, metadata, (uri, variables) => read(uri, variables));
}

/** The first of `fields` the input holds as a string or number: what a call acted on, for approval and audit. */
function firstText(input: Record<string, unknown>, fields: string[]): string | undefined {
  for (const field of fields) {
    const value = input[field];
    if (typeof value === 'string' || typeof value === 'number') return String(value);
  }
  return undefined;
}
