/**
 * A tool's schema must say the project-name rule the domain enforces: create_project's said 100
 * characters while validateProjectName refuses anything over 40, so an agent read a limit that was
 * not the truth.
 */
import { describe, expect, it } from 'vitest';
import { validateProjectName } from '../../src/domain/project-name.js';
import { connectInMemory } from '../support/in-memory-client.js';
import { createTestApp } from '../support/test-app.js';

describe('project name in tool schemas', async () => {
  const { tools } = await (await connectInMemory(await createTestApp())).listTools();
  const nameFields = tools.flatMap((tool) =>
    Object.entries((tool.inputSchema.properties ?? {}) as Record<string, { maxLength?: number; description?: string }>)
      .filter(([, field]) => field.description?.startsWith('Project name'))
      .map(([field, schema]) => ({ where: `${tool.name}.${field}`, maxLength: schema.maxLength })),
  );

  it('is found in create_project and the tools that take a project', () => {
    expect(nameFields.map((f) => f.where)).toContain('create_project.name');
    expect(nameFields.length).toBeGreaterThan(10);
  });

  it('has the maxLength the domain enforces: that many characters pass, one more is refused', () => {
    for (const { where, maxLength } of nameFields) {
      expect(maxLength, where).toBeDefined();
      expect(() => validateProjectName('a'.repeat(maxLength!)), where).not.toThrow();
      expect(() => validateProjectName('a'.repeat(maxLength! + 1)), where).toThrow(/limit/);
    }
  });
});
