/**
 * @module sandbox/woodpecker/step-command
 * Reads a pipeline step's `curl` command the way Woodpecker and the step's shell would
 * (config-time `${VAR}` substitution with `$$` escaping, then shell words with `${VAR}` expansion)
 * and turns it into a request, WITHOUT running anything: the stand-in only performs an HTTP call it
 * fully understands, and refuses any other command.
 */

export interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** `-f`: a 4xx/5xx answer fails the step. */
  failOnError: boolean;
  retries: number;
}

/** Woodpecker's config-time substitution: `${NAME}` from the CI environment, `$$` → `$`. */
export function substituteConfig(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name?: string) => (match === '$$' ? '$' : (env[name!] ?? '')));
}

/** POSIX-shell word splitting for the subset a curl line needs: quotes, backslashes, ${VAR} and $VAR. */
export function shellWords(command: string, env: Record<string, string>): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const expand = (rest: string): [string, number] => {
    const match = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(rest);
    return match ? [env[match[1] ?? match[2]!] ?? '', match[0].length] : ['$', 1];
  };
  for (let i = 0; i < command.length; ) {
    const ch = command[i]!;
    if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (ch === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) throw new Error('unterminated single quote');
      word = (word ?? '') + command.slice(i + 1, end);
      i = end + 1;
    } else if (ch === '"') {
      word ??= '';
      for (i++; i < command.length && command[i] !== '"'; ) {
        if (command[i] === '\\' && '"\\$`'.includes(command[i + 1] ?? '')) {
          word += command[i + 1];
          i += 2;
        } else if (command[i] === '$') {
          const [value, used] = expand(command.slice(i));
          word += value;
          i += used;
        } else word += command[i++];
      }
      if (command[i] !== '"') throw new Error('unterminated double quote');
      i++;
    } else if (ch === '$') {
      const [value, used] = expand(command.slice(i));
      word = (word ?? '') + value;
      i += used;
    } else if (ch === '\\') {
      word = (word ?? '') + (command[i + 1] ?? '');
      i += 2;
    } else if (';&|<>`()'.includes(ch)) {
      throw new Error(`shell operator ${ch} is not simulated`);
    } else {
      word = (word ?? '') + ch;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The request a `curl ...` word list makes; throws for anything but curl or an unknown option. */
export function curlRequest(words: string[]): CurlRequest {
  if (words[0] !== 'curl') throw new Error(`only curl steps are simulated, not ${words[0] ?? '(empty)'}`);
  const request: CurlRequest = { method: 'GET', url: '', headers: {}, body: undefined, failOnError: false, retries: 0 };
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    const next = () => {
      const value = words[++i];
      if (value === undefined) throw new Error(`${word} needs a value`);
      return value;
    };
    if (word === '-X' || word === '--request') request.method = next();
    else if (word === '-H' || word === '--header') {
      const header = next();
      const colon = header.indexOf(':');
      request.headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim();
    } else if (word === '-d' || word === '--data' || word === '--data-raw') {
      request.body = next();
      if (request.method === 'GET') request.method = 'POST';
    } else if (word === '--retry') request.retries = Number(next());
    else if (word === '--max-time' || word === '--connect-timeout') next();
    else if (/^-[fsSL]+$/.test(word) || word === '--retry-connrefused' || word === '--retry-all-errors' || word === '--fail') {
      if (word.includes('f') && !word.startsWith('--retry')) request.failOnError = true;
    } else if (word.startsWith('-')) throw new Error(`curl option ${word} is not simulated`);
    else request.url = word;
  }
  if (!/^https?:\/\//.test(request.url)) throw new Error('curl needs an http(s) URL');
  if (request.body !== undefined) request.headers['content-type'] ??= 'application/x-www-form-urlencoded';
  return request;
}
