/**
 * The README's tool and configuration tables are generated from the tool list and the config
 * schema. This test fails when they are stale; `UPDATE_README=1 npx vitest run test/unit/readme.test.ts`
 * rewrites them.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EnvSchema, SECRET_VARIABLES } from '../../src/config.js';
import { allTools } from '../../tools/index.js';

const README = resolve(import.meta.dirname, '../../README.md');

function toolTable(): string {
  const rows = allTools.map((tool) => {
    const a = tool.annotations;
    const kind = a.readOnlyHint ? 'read-only' : a.destructiveHint ? 'destructive' : 'write';
    const firstSentence = tool.description.split(/(?<=\.)\s/)[0]!;
    return `| \`${tool.name}\` | ${tool.toolset} | ${kind} | ${firstSentence.replace(/\|/g, '\\|')} |`;
  });
  return ['| tool | toolset | kind | what it does |', '|---|---|---|---|', ...rows].join('\n');
}

function configTable(): string {
  const rows = Object.entries(EnvSchema.shape).map(([name, schema]) => {
    const json = z.toJSONSchema(schema as z.ZodType, { io: 'input' }) as { default?: string | number | boolean };
    const fallback = json.default === undefined ? '' : `\`${String(json.default)}\``;
    const description = (schema as z.ZodType).description ?? '';
    return `| \`${name}\` | ${fallback} | ${description.replace(/\|/g, '\\|')}${SECRET_VARIABLES.has(name) ? ' (secret)' : ''} |`;
  });
  return ['| variable | default | meaning |', '|---|---|---|', ...rows].join('\n');
}

function replaceSection(text: string, marker: string, body: string): string {
  const pattern = new RegExp(`(<!-- ${marker}:start -->)[\\s\\S]*?(<!-- ${marker}:end -->)`);
  if (!pattern.test(text)) throw new Error(`README.md lacks the ${marker} markers`);
  return text.replace(pattern, (_all, start: string, end: string) => `${start}\n${body}\n${end}`);
}

describe('README', () => {
  it('has current tool and configuration tables', () => {
    const current = readFileSync(README, 'utf8');
    const fresh = replaceSection(replaceSection(current, 'tools', toolTable()), 'config', configTable());
    if (process.env.UPDATE_README === '1' && current !== fresh) {
      writeFileSync(README, fresh);
      return;
    }
    expect(current, 'README tables are stale: run UPDATE_README=1 npx vitest run test/unit/readme.test.ts').toBe(fresh);
  });

  it('shows the install, start and test commands', () => {
    const text = readFileSync(README, 'utf8');
    for (const command of ['npm install', 'npm start', 'npm test']) expect(text).toContain(command);
  });
});
