/**
 * Live logs and usage history through a real MCP client over streamable HTTP, against `serve
 * --sandbox` (every backend a stand-in): `logs` with follow delivers the pod's new lines as
 * progress notifications while the pod writes them and returns the whole text at the end; a
 * cancelled call closes the stream to the cluster; the usage sampler fills the history from the
 * stand-in's metrics API, which get_project, `threesix://projects/{name}/usage` and /metrics show.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { boot, type Booted } from '../../src/main/boot.js';
import { runServe, type RunningHttp } from '../../src/main/run-serve.js';
import { openFollowStreams } from '../../src/sandbox/kubernetes/pod-log-follow.js';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { eventually } from '../support/eventually.js';
import { exchangeLogEnv } from '../support/exchange-log.js';
import { connectHttp } from '../support/mcp-clients.js';
import { seedProject } from '../support/seed-project.js';
import { tempDir } from '../support/test-app.js';

type Result = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};
type AvgPeak = { avg: number; peak: number };
/** One window of get_project's usage. */
type UsageWindow = { samples: number; cpuMillicores: AvgPeak; memoryBytes: AvgPeak; restarts: unknown };
type Usage = { sampleSeconds: number; lastHour?: UsageWindow; lastDay: UsageWindow };

describe('live logs and usage history (serve --sandbox, MCP over HTTP)', () => {
  let booted: Booted;
  let running: RunningHttp;
  let client: Client;

  beforeAll(async () => {
    booted = await boot({
      sandbox: true,
      env: {
        ...exchangeLogEnv(),
        THREESIX_DATA_DIR: tempDir(),
        DEFAULT_DOMAIN: 'example.test',
        THREESIX_LOG_LEVEL: 'error',
        THREESIX_USAGE_SAMPLE_S: '1',
        THREESIX_DEPLOY_WAIT_S: '20',
      },
    });
    running = await runServe(booted, { host: '127.0.0.1', port: 0 });
    client = await connectHttp(new URL(`${running.url}/mcp`));
    const registryUrl = booted.config.REGISTRY_URL!;
    await pushImage(registryUrl, 'threesix/tail', 'v1');
    await seedProject(booted.app, 'tail');
    const deployed = (await client.callTool({
      name: 'deploy',
      arguments: {
        project: 'tail',
        image: `${registryUrl.replace(/^https?:\/\//, '')}/threesix/tail:v1`,
        secrets: { TOKEN: 'do-not-print-me-7' },
      },
    })) as Result;
    expect(deployed.structuredContent?.status, JSON.stringify(deployed.content)).toBe('succeeded');
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await running?.close();
  });

  it('follow: new lines arrive as progress notifications while the pod writes them, then the whole bounded text', async () => {
    const started = Date.now();
    const notes: Array<{ at: number; progress: number; message: string }> = [];
    const result = (await client.callTool(
      { name: 'logs', arguments: { project: 'tail', follow: true, seconds: 4 } },
      undefined,
      {
        onprogress: (p) =>
          void notes.push({ at: Date.now() - started, progress: p.progress, message: p.message ?? '' }),
      },
    )) as Result;
    const answeredAt = Date.now() - started;
    expect(result.isError).toBeFalsy();
    const withRequests = notes.filter((n) => /GET \/\?n=\d+/.test(n.message));
    expect(withRequests.length).toBeGreaterThanOrEqual(3);
    // Delivered over the four seconds, not all at the end.
    expect(withRequests[0]!.at).toBeLessThan(answeredAt - 1500);
    expect(withRequests.at(-1)!.at - withRequests[0]!.at).toBeGreaterThanOrEqual(1000);
    // Progress counts lines and only grows.
    for (let i = 1; i < notes.length; i++) expect(notes[i]!.progress).toBeGreaterThan(notes[i - 1]!.progress);
    const streamed = notes.map((n) => n.message).join('');
    expect(streamed).toContain('env TOKEN=[REDACTED]');
    expect(streamed).not.toContain('do-not-print-me-7');
    const data = result.structuredContent as {
      followed: { endedBy: string; seconds: number };
      text: string;
      untrusted: unknown;
      lines: number;
    };
    expect(data.followed).toMatchObject({ endedBy: 'time' });
    expect(data.followed.seconds).toBeGreaterThanOrEqual(3.9);
    expect(data.text).toBe(streamed);
    expect(data.text).not.toContain('do-not-print-me-7');
    expect(data.untrusted).toBeTruthy();
    expect(data.lines).toBe(notes.at(-1)!.progress);
    await eventually(() => expect(openFollowStreams()).toBe(0), 2000);
  }, 20_000);

  it('a cancelled follow closes the log stream to the cluster', async () => {
    const abort = new AbortController();
    let sawLine = false;
    const call = client.callTool(
      { name: 'logs', arguments: { project: 'tail', follow: true, seconds: 60 } },
      undefined,
      {
        signal: abort.signal,
        onprogress: (p) => void (sawLine ||= /GET \/\?n=/.test(p.message ?? '')),
      },
    );
    await eventually(() => expect(sawLine).toBe(true), 5000);
    expect(openFollowStreams()).toBe(1);
    abort.abort('the agent has seen enough');
    await expect(call).rejects.toThrow();
    await eventually(() => expect(openFollowStreams()).toBe(0), 3000);
  }, 20_000);

  it('refuses bad follow input with a clear error and reads nothing', async () => {
    const tooLong = (await client.callTool({
      name: 'logs',
      arguments: { project: 'tail', follow: true, seconds: 121 },
    })) as Result;
    expect(tooLong.isError).toBe(true);
    expect(tooLong.content[0]!.text).toMatch(/^INVALID_INPUT: seconds must be an integer from 1 to 120/);
    const orphan = (await client.callTool({ name: 'logs', arguments: { project: 'tail', seconds: 5 } })) as Result;
    expect(orphan.content[0]!.text).toMatch(/^INVALID_INPUT: seconds applies only with follow: true/);
    expect(openFollowStreams()).toBe(0);
  });

  it('fills the usage history from the metrics API: get_project, the usage resource and /metrics show it', async () => {
    const usage = await eventually(
      async () => {
        const r = (await client.callTool({ name: 'get_project', arguments: { project: 'tail' } })) as Result;
        const { usage } = r.structuredContent as { usage?: Usage | null };
        expect(usage?.lastHour?.samples).toBeGreaterThanOrEqual(3);
        return usage!;
      },
      15_000,
      250,
    );
    const hour = usage.lastHour!;
    expect(usage.sampleSeconds).toBe(1);
    expect(hour.cpuMillicores.avg).toBeGreaterThan(0);
    expect(hour.cpuMillicores.peak).toBeGreaterThanOrEqual(hour.cpuMillicores.avg);
    expect(hour.memoryBytes.peak).toBeGreaterThanOrEqual(hour.memoryBytes.avg);
    expect(hour.restarts).toEqual({ latest: 0, added: 0 });
    expect(usage.lastDay.samples).toBeGreaterThanOrEqual(hour.samples);

    const resource = await client.readResource({ uri: 'threesix://projects/tail/usage' });
    const history = JSON.parse((resource.contents[0] as { text: string }).text) as {
      project: string;
      minutes: Array<{ samples: number; cpuMillicores: { avg: number; peak: number } }>;
      hours: unknown[];
    };
    expect(history.project).toBe('tail');
    expect(history.minutes.length).toBeGreaterThanOrEqual(1);
    // Hour rows start with the first full hour after the project was made (usage-history.test.ts).
    expect(Array.isArray(history.hours)).toBe(true);
    // The stand-in's figures move over time: samples folded into one minute have a peak above their average.
    expect(history.minutes.some((m) => m.samples > 1 && m.cpuMillicores.peak > m.cpuMillicores.avg)).toBe(true);
    const listed = await client.listResources();
    expect(listed.resources.map((r) => r.uri)).toContain('threesix://projects/tail/usage');

    // deploy_status reads the same metrics API now, which the stand-in serves.
    const status = (await client.callTool({ name: 'deploy_status', arguments: { project: 'tail' } })) as Result;
    const { workload } = status.structuredContent as { workload?: { usage?: unknown } };
    expect(workload?.usage).toEqual({
      cpu: expect.stringMatching(/^\d+m$/) as unknown,
      memory: expect.stringMatching(/^\d+Mi$/) as unknown,
    });

    const metrics = await (await fetch(`${running.url}/metrics`)).text();
    expect(metrics).toMatch(/^threesix_project_cpu_usage_cores\{project="tail"\} [0-9.]+$/m);
    expect(metrics).toMatch(/^threesix_project_memory_working_set_bytes\{project="tail"\} \d+$/m);
    expect(metrics).toMatch(/^threesix_project_container_restarts\{project="tail"\} 0$/m);
  }, 30_000);
});
