/**
 * deploy_status on a crash-looping app shows the last lines of the previous container's log
 * (previous=true on the pod log API, as kubelet serves it), and a healthy app shows none: real
 * MCP client, real Kubernetes adapter, the Kubernetes stand-in checked against the spec.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pushImage } from '../../src/sandbox/registry/push-image.js';
import { eventually } from '../support/eventually.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { startCheckedKubernetes, type CheckedKubernetes } from '../support/kubernetes.js';
import { startCheckedRegistry, type CheckedRegistry } from '../support/registry-stand-in.js';
import { seedProject } from '../support/seed-project.js';
import { createTestApp, tempDir } from '../support/test-app.js';

type Result = {
  isError?: boolean;
  content: Array<{ type: string; text?: string }>;
  structuredContent?: Record<string, unknown>;
};

describe('deploy_status: the previous container of a crash-looping pod', () => {
  let registry: CheckedRegistry;
  let cluster: CheckedKubernetes;
  let client: Client;
  let host: string;
  const call = async (
    name: string,
    args: Record<string, unknown>,
  ): Promise<Record<string, unknown> & { text: string }> => {
    const r = (await client.callTool({ name, arguments: args }, CallToolResultSchema)) as Result;
    expect(r.isError, r.content[0]?.text).toBeFalsy();
    return { ...r.structuredContent!, text: r.content[0]?.text ?? '' };
  };

  beforeAll(async () => {
    registry = await startCheckedRegistry();
    host = registry.url.replace('http://', '');
    cluster = await startCheckedKubernetes({
      dataDir: tempDir(),
      registryUrl: registry.url,
      startDelayMs: 100,
      tickMs: 30,
    });
    const app = await createTestApp({
      env: { KUBECONFIG: cluster.kubeconfig, REGISTRY_URL: registry.url, THREESIX_DEPLOY_WAIT_S: '5' },
    });
    await seedProject(app, 'calm');
    await seedProject(app, 'crashy');
    client = await connectInMemory(app);
  });
  afterAll(async () => {
    await client?.close();
    await cluster?.stop();
    await registry?.close();
  });

  it('shows the crash for a restarting pod, nothing for a healthy one, and every exchange meets the spec', async () => {
    await pushImage(registry.url, 'threesix/calm', 'v1', 'calm');
    expect(
      (
        await call('deploy', {
          project: 'calm',
          image: `${host}/threesix/calm:v1`,
          secrets: { TOKEN: 'calm-token-value' },
        })
      ).status,
    ).toBe('succeeded');
    expect((await call('deploy_status', { project: 'calm' })).previousLog).toBeNull();

    await pushImage(registry.url, 'threesix/crashy', 'v1', 'crashy');
    cluster.setCrashLoop('crashy', true);
    const deployed = await call('deploy', {
      project: 'crashy',
      image: `${host}/threesix/crashy:v1`,
      secrets: { TOKEN: 'crashy-token-value' },
    });
    expect(deployed.status).toBe('failed');
    const status = await eventually(
      async () => {
        const s = await call('deploy_status', { project: 'crashy' });
        expect(s.previousLog).toContain('panic: sandbox crash switch is on');
        return s;
      },
      10_000,
      200,
    );
    expect(status.previousLog).not.toContain('crashy-token-value');
    expect(status.text).toContain('previousLog');
    expect(cluster.spec.takeViolations()).toEqual([]);
  }, 60_000);
});
