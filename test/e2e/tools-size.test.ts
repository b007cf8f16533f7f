/**
 * Every agent session pays for tools/list in context before its first call. The budget: on
 * average at most 1 KB (1024 bytes) a tool, for the JSON of the whole list with every tool's output
 * schema and all four annotations. Peers send about 1.0-1.2 KB a tool without any output schema
 * (bench/tools-list-size.mjs prints them side by side). A failure names the largest tools.
 */
import { describe, expect, it } from 'vitest';
import { allTools } from '../../tools/index.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { createTestApp } from '../support/test-app.js';

const BUDGET_PER_TOOL = 1024;

describe('tools/list size', async () => {
  const { tools } = await (await connectInMemory(await createTestApp())).listTools();
  const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value));

  it('lists every tool, each with an output schema and all four hints', () => {
    expect(tools.map((t) => t.name).sort()).toEqual(allTools.map((t) => t.name).sort());
    for (const tool of tools) {
      expect(tool.outputSchema, tool.name).toBeDefined();
      expect(Object.keys(tool.annotations ?? {}).sort(), tool.name).toEqual([
        'destructiveHint',
        'idempotentHint',
        'openWorldHint',
        'readOnlyHint',
      ]);
    }
  });

  it(`averages at most ${BUDGET_PER_TOOL} bytes a tool`, () => {
    const total = size(tools);
    const largest = [...tools]
      .sort((a, b) => size(b) - size(a))
      .slice(0, 5)
      .map((t) => `${t.name} ${size(t)} B`);
    expect(
      total / tools.length,
      `tools/list is ${total} bytes for ${tools.length} tools; largest: ${largest.join(', ')}`,
    ).toBeLessThanOrEqual(BUDGET_PER_TOOL);
  });
});
