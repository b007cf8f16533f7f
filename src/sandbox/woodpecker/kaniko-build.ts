/**
 * @module sandbox/woodpecker/kaniko-build
 * What the kaniko step (woodpeckerci/plugin-kaniko, which runs /kaniko/executor with
 * `--dockerfile=${PLUGIN_DOCKERFILE:-Dockerfile} --context=dir://${PLUGIN_CONTEXT:-$PWD}`) decides
 * before it would pull or run anything, read off the checked-out workspace, with kaniko's own
 * messages (GoogleContainerTools/kaniko, which vendors moby/buildkit's Dockerfile parser):
 *   - no Dockerfile: cmd/executor/cmd/root.go resolveDockerfilePath, wrapped by the PersistentPreRunE
 *     ("error resolving dockerfile path") and printed by cobra as `Error: ...`;
 *   - a Dockerfile buildkit cannot read: pkg/dockerfile/dockerfile.go ParseStages ("parsing
 *     dockerfile") around buildkit frontend/dockerfile/instructions/parse.go (`dockerfile parse
 *     error on line N: unknown instruction: X`, X as written, with util/suggest/error.go's
 *     " (did you mean Y?)" for an instruction within Levenshtein distance 2, in X's case) and
 *     parser/parser.go ("file with no instructions"), wrapped as "error building image" by root.go's Run;
 *   - a COPY/ADD of a path not in the context: pkg/util/command_util.go ("failed to get fileinfo
 *     for <path>: lstat <path>: no such file or directory") inside pkg/executor/build.go ("failed to
 *     get files used from context", "error building stage").
 * RUN commands, base images and wildcards are not evaluated: nothing from the repository runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, normalize } from 'node:path';
import type { Workspace } from './workspace-clone.js';

const INSTRUCTIONS = new Set([
  'add',
  'arg',
  'cmd',
  'copy',
  'entrypoint',
  'env',
  'expose',
  'from',
  'healthcheck',
  'label',
  'maintainer',
  'onbuild',
  'run',
  'shell',
  'stopsignal',
  'user',
  'volume',
  'workdir',
]);

interface Instruction {
  line: number;
  /** Lower-cased, for dispatch; `written` keeps the case of the file, which error messages show. */
  name: string;
  written: string;
  args: string;
}

/**
 * A plugin setting as the plugin reads it from its PLUGIN_* variable: text as written, a list
 * comma-joined and a map as JSON (Woodpecker's settings encoding); absent, the plugin's default.
 */
export function pluginSetting(value: unknown, fallback: string): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return Array.isArray(value) ? value.join(',') : JSON.stringify(value);
}

/**
 * The build's verdict: the log lines kaniko would print, and its exit code (0 when the image can be
 * built).
 */
export function checkKanikoBuild(
  workspace: Workspace,
  settings: { dockerfile?: unknown; context?: unknown },
): { exitCode: number; log: string[] } {
  const context = normalize(pluginSetting(settings.context, '.'));
  const dockerfile = pluginSetting(settings.dockerfile, 'Dockerfile');
  const path = [join(workspace.dir, dockerfile), join(workspace.dir, context, dockerfile)].find((p) => existsSync(p));
  if (!path)
    return fail(
      'Error: error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile',
    );
  const parsed = parseDockerfile(readFileSync(path, 'utf8'));
  if ('error' in parsed) return fail(`error building image: parsing dockerfile: ${parsed.error}`);
  const contextInContainer = `${workspace.containerPath}${context === '.' ? '' : `/${context}`}`;
  const log: string[] = [];
  for (const { name, args } of parsed.instructions) {
    if (name === 'from') log.push(`INFO[0000] Retrieving image manifest ${args.split(/\s+/)[0]}`);
    if (name !== 'copy' && name !== 'add') continue;
    for (const source of copySources(args)) {
      if (/[*?[]/.test(source) || /^https?:\/\//.test(source)) continue;
      if (existsSync(join(workspace.dir, context, source))) continue;
      const missing = `${contextInContainer}/${normalize(source).replace(/^\.\/?|\/$/g, '')}`;
      log.push(
        `error building image: error building stage: failed to get files used from context: failed to get fileinfo for ${missing}: lstat ${missing}: no such file or directory`,
      );
      return { exitCode: 1, log };
    }
  }
  return { exitCode: 0, log };
}

function fail(message: string): { exitCode: number; log: string[] } {
  return { exitCode: 1, log: [message] };
}

/**
 * Instructions with their first line, as buildkit's parser splits them: comments and blank lines
 * dropped, a trailing `\` continues the line. An instruction before the first FROM other than ARG is
 * buildkit's "no build stage in current context" (instructions/commands.go).
 */
function parseDockerfile(text: string): { instructions: Instruction[] } | { error: string } {
  const instructions: Instruction[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i]!;
    if (/^\s*(#|$)/.test(logical)) continue;
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) logical = logical.replace(/\\\s*$/, ' ') + lines[++i]!;
    const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(logical)!;
    instructions.push({ line: start + 1, name: match[1]!.toLowerCase(), written: match[1]!, args: match[2]!.trim() });
  }
  if (instructions.length === 0) return { error: 'file with no instructions' };
  let stage = false;
  for (const instruction of instructions) {
    if (!INSTRUCTIONS.has(instruction.name))
      return {
        error: `dockerfile parse error on line ${instruction.line}: unknown instruction: ${instruction.written}${suggestion(instruction.written)}`,
      };
    if (instruction.name === 'from') stage = true;
    else if (!stage && instruction.name !== 'arg')
      return { error: `dockerfile parse error on line ${instruction.line}: no build stage in current context` };
  }
  return { instructions };
}

/**
 * buildkit util/suggest/error.go Search: the instruction nearest to `written` at Levenshtein distance
 * under 3, compared case-insensitively and given back in `written`'s case (all lower, all upper, or
 * lower otherwise). buildkit walks a Go map, so among equally near names its pick is arbitrary;
 * here it is the first in alphabetical order.
 */
function suggestion(written: string): string {
  let best = '';
  let bestDistance = 3;
  for (const name of [...INSTRUCTIONS].sort()) {
    const distance = levenshtein(written.toLowerCase(), name);
    if (distance < bestDistance) [best, bestDistance] = [name, distance];
  }
  if (!best) return '';
  const cased = written === written.toUpperCase() && written !== written.toLowerCase() ? best.toUpperCase() : best;
  return ` (did you mean ${cased}?)`;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * COPY/ADD sources: flags dropped, the last word is the destination; `--from=` copies from a stage,
 * not the context.
 */
function copySources(args: string): string[] {
  let words: string[];
  try {
    words = args.trim().startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/).filter(Boolean);
  } catch {
    words = args.split(/\s+/).filter(Boolean);
  }
  const flags = words.filter((w) => w.startsWith('--'));
  if (flags.some((f) => f.startsWith('--from='))) return [];
  const operands = words.filter((w) => !w.startsWith('--'));
  return operands.slice(0, -1);
}
