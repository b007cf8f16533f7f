/**
 * Rules every tool must follow, checked over the whole registry so a new tool cannot skip them.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { TOOLSETS } from '../../src/config.js';
import { selectTools } from '../../src/mcp/select-tools.js';
import { allTools } from '../../tools/index.js';

const HINTS = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'] as const;

describe('tool registry', () => {
  it('has unique snake_case names', () => {
    const names = allTools.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });

  it.each(allTools.map((t) => [t.name, t] as const))('%s states all four hints and a known toolset', (_name, tool) => {
    for (const hint of HINTS) expect(typeof tool.annotations[hint]).toBe('boolean');
    expect(tool.annotations.readOnlyHint && tool.annotations.destructiveHint).toBe(false);
    expect(TOOLSETS).toContain(tool.toolset);
    expect(tool.title).toMatch(/^[A-Z][\w ]*: [A-Z]/);
    expect(tool.description.length).toBeGreaterThan(60);
  });

  it.each(allTools.map((t) => [t.name, t] as const))(
    '%s describes every input field and has no top-level union',
    (_name, tool) => {
      const schema = z.toJSONSchema(z.object(tool.input())) as {
        properties?: Record<string, { description?: string }>;
        anyOf?: unknown;
        oneOf?: unknown;
        allOf?: unknown;
      };
      expect(schema.anyOf ?? schema.oneOf ?? schema.allOf).toBeUndefined();
      for (const [field, property] of Object.entries(schema.properties ?? {})) {
        expect(property.description, `${tool.name}.${field}`).toBeTruthy();
      }
    },
  );

  it.each(allTools.filter((t) => !t.annotations.readOnlyHint).map((t) => [t.name, t] as const))(
    '%s (a write tool) offers dryRun, or confirm when destructive',
    (_name, tool) => {
      if (tool.annotations.destructiveHint) expect(Object.keys(tool.input())).toContain('confirm');
      else expect(Object.keys(tool.input())).toContain('dryRun');
    },
  );

  it('read-only mode keeps exactly the read-only tools', () => {
    const selected = selectTools(allTools, { THREESIX_READ_ONLY: true, THREESIX_TOOLSETS: [] });
    expect(selected.map((t) => t.name)).toEqual(allTools.filter((t) => t.annotations.readOnlyHint).map((t) => t.name));
  });

  it('a toolset list keeps only those toolsets', () => {
    const selected = selectTools(allTools, { THREESIX_READ_ONLY: false, THREESIX_TOOLSETS: ['project'] });
    expect(selected.length).toBeGreaterThan(0);
    expect(selected.every((t) => t.toolset === 'project')).toBe(true);
  });
});
