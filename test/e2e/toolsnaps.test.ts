/**
 * One snapshot per tool of what tools/list shows, so every change to the public tool surface
 * shows up in review. Under CI=true a missing snapshot fails instead of being written.
 * Regenerate deliberately with: npx vitest run test/e2e/toolsnaps.test.ts -u
 */
import { describe, expect, it } from 'vitest';
import { allTools } from '../../tools/index.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { createTestApp } from '../support/test-app.js';

describe('tool schema snapshots', async () => {
  const client = await connectInMemory(await createTestApp());
  const { tools } = await client.listTools();

  it('lists every tool in tools/index.ts', () => {
    expect(tools.map((t) => t.name)).toEqual(allTools.map((t) => t.name));
  });

  for (const tool of tools) {
    it(`${tool.name} matches its snapshot`, async () => {
      const snapshot = {
        name: tool.name,
        title: tool.title,
        description: tool.description,
        annotations: tool.annotations,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
      };
      await expect(`${JSON.stringify(snapshot, null, 2)}\n`).toMatchFileSnapshot(`./__toolsnaps__/${tool.name}.json`);
    });
  }
});
