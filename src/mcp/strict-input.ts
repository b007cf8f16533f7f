/**
 * @module mcp/strict-input
 * A tool's input as a closed object: an argument the tool does not take is refused, naming it and,
 * where one is plainly meant, the field the tool does take. Zod would otherwise drop unknown keys
 * silently, so `get_project {name: "x"}` failed only as "project is required" and a misspelt
 * optional argument (`dryrun`) was ignored and the call went ahead without it.
 */
import { z } from 'zod';

export function strictInput(shape: z.ZodRawShape): z.ZodObject {
  const fields = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code !== 'unrecognized_keys') return undefined;
      const given = issue.input && typeof issue.input === 'object' ? Object.keys(issue.input) : [];
      return issue.keys.map((key) => unknownField(key, fields, given)).join('; ');
    },
  });
}

function unknownField(key: string, fields: string[], given: string[]): string {
  const meant = closestField(key, fields, given);
  const takes = fields.length > 0 ? `this tool takes ${fields.join(', ')}` : 'this tool takes no arguments';
  return `unknown field ${JSON.stringify(key)}${meant ? ` (did you mean ${JSON.stringify(meant)}?)` : ''}; ${takes}`;
}

/**
 * The field most plausibly meant: one within two edits (a typo or a case slip), else the only
 * field the caller left out (a synonym such as `name` for `project`).
 */
export function closestField(key: string, fields: string[], given: string[]): string | undefined {
  const near = fields
    .map((field) => ({ field, distance: editDistance(key.toLowerCase(), field.toLowerCase()) }))
    .filter((c) => c.distance <= Math.min(2, Math.floor(c.field.length / 2)))
    .sort((a, b) => a.distance - b.distance)[0];
  if (near) return near.field;
  const missing = fields.filter((field) => !given.includes(field));
  return missing.length === 1 ? missing[0] : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
