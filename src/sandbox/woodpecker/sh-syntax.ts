/**
 * @module sandbox/woodpecker/sh-syntax
 * Reading a step's commands as POSIX sh (XCU 2.3 token recognition, 2.9 grammar), limited to the
 * subset step-script.ts interprets: simple commands, `;` and newlines, `&&`/`||` lists and
 * `case … esac`; quotes and `$(…)` stay inside their words, raw, to be expanded when run. A
 * command outside the simulated set is refused while reading, so nothing of the script runs.
 */

export type Token = { word: string } | { op: ';' | ';;' | '&&' | '||' | '|' | ')' | '\n' };

export type Command =
  | { kind: 'simple'; words: string[] }
  | { kind: 'case'; subject: string; items: Array<{ patterns: string[]; body: Script }> };
export type AndOr = { first: Command; rest: Array<{ op: '&&' | '||'; command: Command }> };
export type Script = AndOr[];

/** Shell words and operators; quotes and `$(…)` stay inside their word, raw, for expansion later. */
export function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let word: string | undefined;
  const flush = () => {
    if (word !== undefined) tokens.push({ word });
    word = undefined;
  };
  for (let i = 0; i < text.length; ) {
    const ch = text[i]!;
    const two = text.slice(i, i + 2);
    if (two === '\\\n')
      i += 2; // line continuation
    else if (ch === ' ' || ch === '\t') {
      flush();
      i++;
    } else if (ch === '#' && word === undefined) while (i < text.length && text[i] !== '\n') i++;
    else if (two === ';;' || two === '&&' || two === '||') {
      flush();
      tokens.push({ op: two });
      i += 2;
    } else if (ch === ';' || ch === '|' || ch === ')' || ch === '\n') {
      flush();
      tokens.push({ op: ch });
      i++;
    } else if ('&<>(`'.includes(ch)) throw new Error(`shell operator ${ch} is not simulated`);
    else {
      const end =
        ch === "'"
          ? text.indexOf("'", i + 1)
          : ch === '"'
            ? closingQuote(text, i)
            : ch === '\\'
              ? i + 1
              : two === '$('
                ? closingParen(text, i + 1)
                : i;
      if (end < 0 || end >= text.length) throw new Error(`unterminated ${ch === '$' ? '$(' : ch}`);
      word = (word ?? '') + text.slice(i, end + 1);
      i = end + 1;
    }
  }
  flush();
  return tokens;
}

function closingQuote(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '$' && text[i + 1] === '(') i = closingParen(text, i + 1);
    else if (text[i] === '"') return i;
  }
  return -1;
}

/** The index of the `)` closing the `(` at `open`, skipping quotes and nested `$(…)`. */
export function closingParen(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'") i = text.indexOf("'", i + 1);
    else if (ch === '"') i = closingQuote(text, i);
    else if (ch === '\\') i++;
    else if (ch === '$' && text[i + 1] === '(') i = closingParen(text, i + 1);
    else if (ch === '(') throw new Error('a subshell is not simulated');
    else if (ch === ')') return i;
    if (i < 0) break;
  }
  throw new Error('unterminated $(');
}

/** The grammar's small subset: lists of and-or lists of simple commands or `case`. */
export function parse(tokens: Token[]): Script {
  let at = 0;
  const peek = () => tokens[at];
  const isOp = (op: string) => {
    const t = peek();
    return t !== undefined && 'op' in t && t.op === op;
  };
  const isWord = (word: string) => {
    const t = peek();
    return t !== undefined && 'word' in t && t.word === word;
  };
  const skipNewlines = () => {
    while (isOp('\n')) at++;
  };
  const expectWord = (): string => {
    const t = tokens[at++];
    if (!t || !('word' in t)) throw new Error(`a word was expected, not ${t ? JSON.stringify(t.op) : 'the end'}`);
    return t.word;
  };

  const script = (until: (string | undefined)[]): Script => {
    const lists: Script = [];
    for (;;) {
      while (isOp('\n') || isOp(';')) at++;
      const t = peek();
      if (t === undefined || ('op' in t && until.includes(t.op)) || ('word' in t && until.includes(t.word)))
        return lists;
      lists.push(andOr());
    }
  };
  const andOr = (): AndOr => {
    const list: AndOr = { first: command(), rest: [] };
    while (isOp('&&') || isOp('||')) {
      const op = (tokens[at++] as { op: '&&' | '||' }).op;
      skipNewlines();
      list.rest.push({ op, command: command() });
    }
    return list;
  };
  const command = (): Command => {
    if (isWord('case')) return caseCommand();
    const words: string[] = [];
    for (let t = peek(); t !== undefined && 'word' in t; t = peek()) words.push((at++, t.word));
    if (words.length === 0)
      throw new Error(
        `a command was expected, not ${JSON.stringify((peek() as { op: string } | undefined)?.op ?? 'the end')}`,
      );
    if (isOp('|')) throw new Error('a pipe is not simulated');
    checkSimulated(words);
    return { kind: 'simple', words };
  };
  const caseCommand = (): Command => {
    at++; // case
    const subject = expectWord();
    if (expectWord() !== 'in') throw new Error('case needs "in"');
    const items: Array<{ patterns: string[]; body: Script }> = [];
    for (;;) {
      skipNewlines();
      if (isWord('esac')) break;
      const patterns = [expectWord()];
      while (isOp('|')) {
        at++;
        patterns.push(expectWord());
      }
      if (!isOp(')')) throw new Error('a case pattern needs ")"');
      at++;
      items.push({ patterns, body: script([';;', 'esac']) });
      if (isOp(';;')) at++;
    }
    at++; // esac
    return { kind: 'case', subject, items };
  };

  const result = script([undefined]);
  if (at < tokens.length) throw new Error('unexpected text after the script');
  return result;
}

/** The commands step-script.ts simulates (its `builtin` switch); any other is refused here. */
const BUILTINS = new Set(['true', ':', 'false', 'exit', 'echo', 'cat', 'grep', 'curl']);

/**
 * Refuses a command the shell would not simulate while the script is still being read, so that
 * nothing (no curl before it either) runs; `$(…)` inside any word is read and checked the same way.
 */
function checkSimulated(words: string[]): void {
  const assignment = /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!);
  if (!assignment && !BUILTINS.has(words[0]!)) throw new Error(`command ${words[0]} is not simulated`);
  for (const word of words) for (const inner of substitutions(word)) parse(lex(inner));
}

/** The texts of the `$(…)` in a raw word (outside single quotes). */
function substitutions(raw: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === "'") i = raw.indexOf("'", i + 1);
    else if (raw[i] === '\\') i++;
    else if (raw[i] === '$' && raw[i + 1] === '(') {
      const end = closingParen(raw, i + 1);
      found.push(raw.slice(i + 2, end));
      i = end;
    }
  }
  return found;
}
