/**
 * @module sandbox/woodpecker/step-script
 * Reads a step's commands as the POSIX shell Woodpecker runs them in (all of a step's commands in
 * one `/bin/sh -e`: pipeline/backend/common/script.go and script_posix.go in woodpecker-ci/woodpecker)
 * and interprets them WITHOUT running anything: only a small, closed subset of sh is understood
 * (simple commands, `;` and newlines, `&&`/`||`, `case … esac`, `NAME=$(…)`, quotes and `$NAME`),
 * with `curl` making its HTTP call and `echo`, `cat`, `grep -Eq`, `exit`, `true`, `false` built in;
 * files live in memory. Anything else (another program, pipes, redirections, subshells) throws, and
 * the stand-in fails the pipeline rather than guess.
 */
import { closingParen, lex, parse, type Command, type Script } from './sh-syntax.js';
import { curlRequest, type CurlRequest } from './step-command.js';

/** What the step's shell holds while it runs. */
export interface ShellState {
  vars: Record<string, string>;
  /** Files the script wrote (curl -o), kept in memory. */
  files: Map<string, string>;
  /** Everything the step printed, stdout and stderr, for the pipeline's log. */
  log: string[];
  /** `$?` */
  status: number;
}

/** Thrown by `exit` and by `-e` on a failing command: ends the whole step with `code`. */
export class StepExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** Performs one HTTP request the way curl would; the stand-in's network side. */
export type CurlRunner = (request: CurlRequest) => Promise<{ exitCode: number; status: number; body: string }>;

/** Runs a step's commands in one shell state under `sh -e`; resolves with the step's exit code. */
export async function runStepScript(
  commands: string[],
  env: Record<string, string>,
  curl: CurlRunner,
): Promise<{ exitCode: number; log: string[] }> {
  const shell = new Shell({ vars: { ...env }, files: new Map(), log: [], status: 0 }, curl);
  try {
    for (const command of commands) await shell.runScript(parse(lex(command)), true);
    return { exitCode: shell.state.status, log: shell.state.log };
  } catch (error) {
    if (error instanceof StepExit) return { exitCode: error.code, log: shell.state.log };
    throw error;
  }
}

class Shell {
  constructor(
    readonly state: ShellState,
    private readonly curl: CurlRunner,
  ) {}

  /**
   * Set when the last status is a failure `sh -e` ignored (inside an && / || list); a compound
   * command ending on it does not exit either.
   */
  private failureIgnored = false;

  async runScript(script: Script, errexit: boolean): Promise<number> {
    for (const list of script) {
      let status = await this.runCommand(list.first, errexit && list.rest.length === 0);
      let last: Command = list.first;
      let lastRan = 0;
      for (let i = 0; i < list.rest.length; i++) {
        const { op, command } = list.rest[i]!;
        if ((op === '&&') === (status === 0)) {
          status = await this.runCommand(command, errexit && i === list.rest.length - 1);
          last = command;
          lastRan = i + 1;
        }
      }
      // POSIX sh -e: a failure is ignored in an && / || list except in its last command, and a
      // compound command (case) whose status came from such an ignored failure does not exit either.
      const ignored = lastRan < list.rest.length || (last.kind === 'case' && this.failureIgnored);
      this.state.status = status;
      this.failureIgnored = status !== 0 && ignored;
      if (errexit && status !== 0 && !ignored) throw new StepExit(status);
    }
    return this.state.status;
  }

  private async runCommand(command: Command, errexit: boolean): Promise<number> {
    if (command.kind === 'case') {
      const subject = await this.expand(command.subject);
      const item = command.items.find((i) => i.patterns.some((p) => globMatches(p, subject)));
      this.failureIgnored = false;
      this.state.status = item ? await this.runScript(item.body, errexit) : 0;
      return this.state.status;
    }
    const [head, ...args] = command.words;
    const assignment = /^([A-Za-z_][A-Za-z0-9_]*)=([\s\S]*)$/.exec(head!);
    if (assignment) {
      if (args.length) throw new Error('an assignment before a command is not simulated');
      this.state.status = 0; // a command substitution inside sets it
      const value = await this.expand(assignment[2]!);
      this.state.vars[assignment[1]!] = value;
      return this.state.status;
    }
    const words = [await this.expand(head!)];
    for (const arg of args) words.push(await this.expand(arg));
    this.state.status = await this.builtin(words);
    return this.state.status;
  }

  private async builtin(words: string[]): Promise<number> {
    const [name, ...args] = words;
    switch (name) {
      case 'true':
      case ':':
        return 0;
      case 'false':
        return 1;
      case 'exit':
        throw new StepExit(args[0] === undefined ? this.state.status : Number(args[0]) & 255);
      case 'echo':
        this.write(`${args.join(' ')}\n`);
        return 0;
      case 'cat': {
        const text = args.length === 1 ? this.state.files.get(args[0]!) : undefined;
        if (text === undefined)
          return (this.state.log.push(`cat: can't open '${args[0] ?? ''}': No such file or directory`), 1);
        this.write(text);
        return 0;
      }
      case 'grep':
        return this.grep(args);
      case 'curl':
        return this.runCurl(words);
      default:
        throw new Error(`command ${name ?? '(empty)'} is not simulated`);
    }
  }

  /** `grep -Eq PATTERN FILE`: 0 when a line matches, 1 when none does, 2 for a missing file. */
  private grep(args: string[]): number {
    const options = args
      .filter((a) => a.startsWith('-'))
      .join('')
      .replace(/-/g, '');
    const operands = args.filter((a) => !a.startsWith('-'));
    if (options.split('').sort().join('') !== 'Eq' || operands.length !== 2)
      throw new Error(`grep ${args.join(' ')} is not simulated (only grep -Eq PATTERN FILE)`);
    const text = this.state.files.get(operands[1]!);
    if (text === undefined) return 2;
    const pattern = new RegExp(operands[0]!);
    return text.split('\n').some((line) => pattern.test(line)) ? 0 : 1;
  }

  /** curl's stdout is the body (or `-o` writes it to a file) followed by `-w`'s text; its errors go to stderr. */
  private async runCurl(words: string[]): Promise<number> {
    const request = curlRequest(words);
    const result = await this.curl(request);
    const code = result.exitCode === 0 || result.exitCode === 22 ? String(result.status).padStart(3, '0') : '000';
    if (result.exitCode === 0 || result.exitCode === 22) {
      if (request.output !== undefined) this.state.files.set(request.output, result.body);
      else this.write(result.body);
    }
    if (request.writeOut !== undefined)
      this.write(request.writeOut.replace(/%\{http_code\}/g, code).replace(/\\n/g, '\n'));
    if (result.exitCode !== 0 && request.showErrors)
      this.state.log.push(
        `curl: (${result.exitCode}) ${result.exitCode === 22 ? `The requested URL returned error: ${result.status}` : 'the request failed'}`,
      );
    return result.exitCode;
  }

  /** stdout: captured inside `$(…)`, else the step's log. */
  private captured: string | undefined;

  private write(text: string): void {
    if (this.captured !== undefined) this.captured += text;
    else if (text !== '') this.state.log.push(text.replace(/\n$/, ''));
  }

  private async substitute(inner: string): Promise<string> {
    const outer = this.captured;
    this.captured = '';
    try {
      await this.runScript(parse(lex(inner)), false);
      return this.captured.replace(/\n+$/, '');
    } finally {
      this.captured = outer;
    }
  }

  /** One word: quotes removed, `$NAME`/`${NAME}` and `$(…)` expanded (no field splitting, no globbing). */
  async expand(raw: string): Promise<string> {
    let out = '';
    for (let i = 0; i < raw.length; ) {
      const ch = raw[i]!;
      if (ch === "'") {
        const end = raw.indexOf("'", i + 1);
        out += raw.slice(i + 1, end);
        i = end + 1;
      } else if (ch === '"') {
        for (i++; raw[i] !== '"'; ) {
          if (raw[i] === '\\' && '"\\$`\n'.includes(raw[i + 1]!)) {
            if (raw[i + 1] !== '\n') out += raw[i + 1];
            i += 2;
          } else if (raw[i] === '$') {
            const [value, used] = await this.dollar(raw.slice(i));
            out += value;
            i += used;
          } else out += raw[i++];
        }
        i++;
      } else if (ch === '\\') {
        out += raw[i + 1] ?? '';
        i += 2;
      } else if (ch === '$') {
        const [value, used] = await this.dollar(raw.slice(i));
        if (/\s/.test(value)) throw new Error('field splitting of an unquoted expansion is not simulated');
        out += value;
        i += used;
      } else out += raw[i++];
    }
    return out;
  }

  private async dollar(rest: string): Promise<[string, number]> {
    if (rest.startsWith('$(')) {
      const end = closingParen(rest, 1);
      return [await this.substitute(rest.slice(2, end)), end + 1];
    }
    const name = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*)|(\?))/.exec(rest);
    if (!name) return ['$', 1];
    if (name[3]) return [String(this.state.status), 2];
    return [this.state.vars[name[1] ?? name[2]!] ?? '', name[0].length];
  }
}

/** sh pattern matching for `case`: `*`, `?` and literal text (quotes removed); brackets are not simulated. */
function globMatches(pattern: string, subject: string): boolean {
  if (/[[\]$'"\\]/.test(pattern)) throw new Error(`case pattern ${pattern} is not simulated`);
  const regex = pattern
    .replace(/[.+^${}()|\\]/g, '\\$&')
    .replace(/\*/g, '[\\s\\S]*')
    .replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^${regex}$`).test(subject);
}
