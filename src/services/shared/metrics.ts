/**
 * @module services/shared/metrics
 * What threesix counts, for `GET /metrics`: tool calls, webhook deliveries, deploys and backend
 * latency, each project's latest usage (from the usage sampler), which replica leads, and the drift
 * scheduled reconcile found. Callers record through the named functions below, never through the
 * registry, so the metric names and labels stay in one place.
 */
import { createRegistry } from './metrics-registry.js';

export interface ToolCallOutcome {
  ok: boolean;
  /** DomainError code when the call failed. */
  code?: string;
  durationMs: number;
}

export interface Metrics {
  /** One MCP tool call finished (wired to createMcpServer's onToolCall hook). */
  toolCall(tool: string, outcome: ToolCallOutcome): void;
  /** One CI webhook delivery was handled, e.g. "accepted", "duplicate", "rejected", "unauthorized". */
  webhookDelivery(outcome: string): void;
  /** One deploy finished, e.g. "succeeded", "failed", "rolled_back", "in_progress". */
  deploy(result: string): void;
  /** One call to a backend port finished (recorded for every port call by compose). */
  backendCall(backend: string, ms: number, ok: boolean): void;
  /**
   * The usage sampler's latest reading of every project; replaces the previous one, so a deleted
   * project's series disappear. Only the process that sampled has them (one sampler per slot).
   */
  projectUsage(
    readings: ReadonlyArray<{ project: string; cpuMillicores: number; memoryBytes: number; restarts: number }>,
  ): void;
  /** Whether this replica leads the others on the shared database (set by the takeover sweep; absent on SQLite). */
  leader(leads: boolean): void;
  /** A scheduled reconcile finished: the drift it found by backend and kind (empty: none), or that it failed. */
  reconcile(outcome: { drift: ReadonlyArray<{ backend: string; kind: string }> } | { failed: true }): void;
  /** Prometheus text exposition format 0.0.4. */
  render(): string;
}

/** Seconds; tool calls span a cached read (ms) to a deploy that waits for its rollout (45 s). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createMetrics(version: string): Metrics {
  const registry = createRegistry();
  const toolCalls = registry.counter('threesix_tool_calls_total', 'MCP tool calls by tool and outcome (ok or error).', [
    'tool',
    'outcome',
  ]);
  const toolErrors = registry.counter('threesix_tool_errors_total', 'Failed MCP tool calls by tool and error code.', [
    'tool',
    'code',
  ]);
  const toolDuration = registry.histogram(
    'threesix_tool_call_duration_seconds',
    'MCP tool call duration by tool.',
    ['tool'],
    DURATION_BUCKETS,
  );
  const webhooks = registry.counter('threesix_webhook_deliveries_total', 'CI webhook deliveries by outcome.', [
    'outcome',
  ]);
  const deploys = registry.counter('threesix_deploys_total', 'Deploys by result.', ['result']);
  const backendDuration = registry.histogram(
    'threesix_backend_call_duration_seconds',
    'Backend port call latency by backend and outcome (ok or error).',
    ['backend', 'outcome'],
    DURATION_BUCKETS,
  );
  let usage: ReadonlyArray<{ project: string; cpuMillicores: number; memoryBytes: number; restarts: number }> = [];
  const perProject = (value: (u: (typeof usage)[number]) => number) => () =>
    usage.map((u) => ({ labels: { project: u.project }, value: value(u) }));
  registry.gauge(
    'threesix_project_cpu_usage_cores',
    "CPU a project's pods use (metrics API, latest sample), in cores.",
    perProject((u) => u.cpuMillicores / 1000),
  );
  registry.gauge(
    'threesix_project_memory_working_set_bytes',
    "Memory working set of a project's pods (metrics API, latest sample).",
    perProject((u) => u.memoryBytes),
  );
  registry.gauge(
    'threesix_project_container_restarts',
    "Container restarts summed over a project's pods (latest sample).",
    perProject((u) => u.restarts),
  );
  let leads: boolean | undefined;
  registry.gauge(
    'threesix_leader',
    'Whether this replica leads the replicas on one PostgreSQL database (1) or not (0).',
    () => (leads === undefined ? [] : [{ labels: {}, value: leads ? 1 : 0 }]),
  );
  const reconcileRuns = registry.counter(
    'threesix_reconcile_runs_total',
    'Scheduled reconcile runs by outcome (clean, drift or error).',
    ['outcome'],
  );
  let drift: Array<{ labels: { backend: string; kind: string }; value: number }> = [];
  registry.gauge(
    'threesix_reconcile_drift',
    'Drift the latest scheduled reconcile found, by backend and kind (report only, never repaired).',
    () => drift,
  );
  const started = Date.now() / 1000;
  registry.gauge('threesix_build_info', 'Build information; the value is always 1.', () => [
    { labels: { version }, value: 1 },
  ]);
  registry.gauge('process_start_time_seconds', 'Start time of the process since the Unix epoch in seconds.', () => [
    { labels: {}, value: started },
  ]);
  registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes.', () => [
    { labels: {}, value: process.memoryUsage.rss() },
  ]);

  return {
    toolCall(tool, outcome) {
      toolCalls.inc({ tool, outcome: outcome.ok ? 'ok' : 'error' });
      if (!outcome.ok) toolErrors.inc({ tool, code: outcome.code ?? 'UNKNOWN' });
      toolDuration.observe({ tool }, outcome.durationMs / 1000);
    },
    webhookDelivery: (outcome) => webhooks.inc({ outcome }),
    deploy: (result) => deploys.inc({ result }),
    backendCall: (backend, ms, ok) => backendDuration.observe({ backend, outcome: ok ? 'ok' : 'error' }, ms / 1000),
    projectUsage: (readings) => void (usage = readings.map((r) => ({ ...r }))),
    leader: (value) => void (leads = value),
    reconcile(outcome) {
      if ('failed' in outcome) return reconcileRuns.inc({ outcome: 'error' });
      reconcileRuns.inc({ outcome: outcome.drift.length ? 'drift' : 'clean' });
      const counts = new Map<string, { backend: string; kind: string; n: number }>();
      for (const d of outcome.drift) {
        const key = `${d.backend}/${d.kind}`;
        const entry = counts.get(key) ?? counts.set(key, { backend: d.backend, kind: d.kind, n: 0 }).get(key)!;
        entry.n += 1;
      }
      drift = [...counts.values()].map((c) => ({ labels: { backend: c.backend, kind: c.kind }, value: c.n }));
    },
    render: () => registry.render(),
  };
}

/**
 * Wraps a backend port so every async method call is timed into `backendCall`. The method runs
 * with the original object as `this`, so adapters with private fields keep working.
 */
export function instrumentBackend<T extends object>(port: T, backend: string, metrics: Metrics): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function' || property === 'constructor') return value;
      return function timed(...args: unknown[]) {
        const started = performance.now();
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
        if (!(result instanceof Promise)) return result;
        return result.then(
          (resolved: unknown) => (metrics.backendCall(backend, performance.now() - started, true), resolved),
          (error: unknown) => {
            metrics.backendCall(backend, performance.now() - started, false);
            throw error;
          },
        );
      };
    },
  });
}
