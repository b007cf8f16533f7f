/**
 * create_project runs several backend steps; a client that passes a progressToken hears each
 * step's name as it starts (MCP notifications/progress), through a real SDK Client.
 */
import { CallToolResultSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { connectInMemory } from '../support/in-memory-client.js';
import { createLifecycleApp } from '../support/lifecycle-app.js';

describe('create_project progress', () => {
  it('sends each step name as progress, rising to the step count, when the client asks', async () => {
    const lc = await createLifecycleApp();
    const client = await connectInMemory(lc.app);
    const heard: Progress[] = [];
    const result = await client.callTool(
      { name: 'create_project', arguments: { name: 'shop' } },
      CallToolResultSchema,
      { onprogress: (p) => void heard.push(p) },
    );
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    const op = await lc.app.store.operations.get(
      String((result.structuredContent as { operationId: string }).operationId),
    );
    const steps = op!.steps.map((s) => s.name);
    expect(heard.map((p) => p.message).sort()).toEqual([...steps].sort());
    expect(heard.map((p) => p.progress)).toEqual(steps.map((_, i) => i + 1));
    expect(heard.every((p) => p.total === steps.length)).toBe(true);
  });

  it('a dry run and a call without a progressToken still answer', async () => {
    const lc = await createLifecycleApp();
    const client = await connectInMemory(lc.app);
    const heard: Progress[] = [];
    const dry = await client.callTool(
      { name: 'create_project', arguments: { name: 'plan', dryRun: true } },
      CallToolResultSchema,
      { onprogress: (p) => void heard.push(p) },
    );
    expect(dry.structuredContent).toMatchObject({ dryRun: true });
    expect(heard).toEqual([]);
    const plain = await client.callTool({ name: 'create_project', arguments: { name: 'shop' } });
    expect(plain.isError, JSON.stringify(plain.content)).toBeFalsy();
  });
});
