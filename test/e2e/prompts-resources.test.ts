import { describe, expect, it } from 'vitest';
import { connectInMemory } from '../support/in-memory-client.js';
import { createLifecycleApp } from '../support/lifecycle-app.js';

/** A JSON resource, typed as the shape the caller reads. */
const json = <T = unknown>(result: { contents: unknown[] }) =>
  JSON.parse(String((result.contents[0] as { text?: unknown }).text)) as T;

describe('prompts and project resources (real SDK client)', () => {
  it('offers the five project prompts, every argument described, and renders them', async () => {
    const client = await connectInMemory((await createLifecycleApp()).app);
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name)).toEqual([
      'project-create',
      'project-deploy',
      'project-status',
      'project-list',
      'project-domain',
    ]);
    for (const prompt of prompts) {
      expect(prompt.description).toBeTruthy();
      for (const arg of prompt.arguments ?? []) expect(arg.description, `${prompt.name}.${arg.name}`).toBeTruthy();
    }
    expect(prompts.find((p) => p.name === 'project-create')!.arguments).toEqual([
      expect.objectContaining({ name: 'name', required: true }),
      expect.objectContaining({ name: 'description', required: false }),
    ]);
    const rendered = await client.getPrompt({
      name: 'project-domain',
      arguments: { name: 'shop', domain: 'www.shop.io' },
    });
    expect((rendered.messages[0]!.content as { text: string }).text).toContain(
      'add_domain with project "shop", domain "www.shop.io"',
    );
  });

  it("serves a project's state, releases, audit trail and its operations", async () => {
    const lc = await createLifecycleApp();
    const client = await connectInMemory(lc.app);
    const created = await client.callTool({ name: 'create_project', arguments: { name: 'shop' } });
    const { operationId } = created.structuredContent as { operationId: string };
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(
      expect.arrayContaining([
        'threesix://projects/{name}',
        'threesix://projects/{name}/releases',
        'threesix://projects/{name}/events',
        'threesix://operations/{id}',
      ]),
    );
    expect(json(await client.readResource({ uri: 'threesix://projects/shop' }))).toMatchObject({
      name: 'shop',
      state: 'ready',
      live: { git: { status: 'ok' } },
    });
    expect(json(await client.readResource({ uri: 'threesix://projects/shop/releases' }))).toEqual({
      project: 'shop',
      releases: [],
    });
    const events = json<{ events: Array<{ action: string; result: string }> }>(
      await client.readResource({ uri: 'threesix://projects/shop/events' }),
    );
    expect(events.events.map((e) => `${e.action}:${e.result}`)).toEqual(['create_project:ok', 'ci.activate:ok']);
    const op = json<{ steps: Array<{ name: string }> }>(
      await client.readResource({ uri: `threesix://operations/${operationId}` }),
    );
    expect(op).toMatchObject({ kind: 'create_project', target: 'shop', status: 'succeeded' });
    expect(op.steps.map((s) => s.name)).toEqual(['dns', 'repo', 'collaborators', 'deploy-key', 'ci', 'starter-files']);
    await expect(client.readResource({ uri: 'threesix://operations/nope' })).rejects.toThrow(/NOT_FOUND/);
    // The protocol code is named once, not "MCP error -32002: MCP error -32002: ...".
    const missing = await client
      .readResource({ uri: 'threesix://projects/nope' })
      .catch((error: { code: number; message: string }) => error);
    expect(missing).toMatchObject({
      code: -32002,
      message: expect.stringMatching(/^MCP error -32002: NOT_FOUND: /) as unknown,
    });
    await expect(client.readResource({ uri: 'threesix://projects/nope/releases' })).rejects.toThrow(/NOT_FOUND/);
  });

  it('a failed create_project tells the agent the step and the operation to retry', async () => {
    const lc = await createLifecycleApp();
    const client = await connectInMemory(lc.app);
    lc.faults.ci.failNext('activate');
    const failed = await client.callTool({ name: 'create_project', arguments: { name: 'shop' } });
    expect(failed.isError).toBe(true);
    const text = (failed.content as Array<{ text: string }>)[0]!.text;
    expect(text).toMatch(
      /^UPSTREAM_UNAVAILABLE: creating project "shop" stopped at step ci: .*retry_operation with id "[0-9a-f-]{36}"/,
    );
    const id = /id "([0-9a-f-]{36})"/.exec(text)![1]!;
    const retried = await client.callTool({ name: 'retry_operation', arguments: { id } });
    expect(retried.structuredContent).toMatchObject({ status: 'succeeded' });
  });
});
