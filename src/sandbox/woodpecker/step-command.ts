/**
 * @module sandbox/woodpecker/step-command
 * Woodpecker's config-time substitution of a step's commands, and the request a `curl` command's
 * words describe (its shell is step-script.ts), WITHOUT running anything: the stand-in only
 * performs an HTTP call it fully understands, and refuses any option it does not model.
 */

export interface CurlRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** `-f`: a 4xx/5xx answer fails the step. */
  failOnError: boolean;
  retries: number;
  /** `--retry-connrefused`: a refused connection counts as transient too. */
  retryConnRefused?: boolean;
  /** `-o FILE`: the body goes there instead of stdout. */
  output?: string;
  /** `-w FORMAT`: printed to stdout after the transfer (`%{http_code}` is the one variable simulated). */
  writeOut?: string;
  /** Error messages on stderr: curl's default, off with `-s`, back on with `-S`. */
  showErrors?: boolean;
}

/**
 * Woodpecker's config-time substitution (pipeline/frontend/metadata/substitution.go, drone/envsubst):
 * `${NAME}` from the CI environment, `$$` → `$`; a bare `$NAME` is left to the shell.
 */
export function substituteConfig(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (match, name?: string) =>
    match === '$$' ? '$' : (env[name!] ?? ''),
  );
}

/** The request a `curl ...` word list makes; throws for anything but curl or an unknown option. */
export function curlRequest(words: string[]): CurlRequest {
  if (words[0] !== 'curl') throw new Error(`only curl steps are simulated, not ${words[0] ?? '(empty)'}`);
  const request: CurlRequest = {
    method: 'GET',
    url: '',
    headers: {},
    body: undefined,
    failOnError: false,
    retries: 0,
    showErrors: true,
  };
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
    else if (word === '-o' || word === '--output') request.output = next();
    else if (word === '-w' || word === '--write-out') {
      request.writeOut = next();
      if (/%\{(?!http_code\})/.test(request.writeOut))
        throw new Error(`curl -w ${request.writeOut} is not simulated (only %{http_code})`);
    } else if (word === '--retry-connrefused') request.retryConnRefused = true;
    else if (/^-[fsS]+$/.test(word) || word === '--fail') {
      if (word.includes('f')) request.failOnError = true;
      if (word.includes('s')) request.showErrors = word.includes('S');
      else if (word.includes('S')) request.showErrors = true;
    } else if (word.startsWith('-')) throw new Error(`curl option ${word} is not simulated`);
    else request.url = word;
  }
  if (!/^https?:\/\//.test(request.url)) throw new Error('curl needs an http(s) URL');
  if (request.body !== undefined) request.headers['content-type'] ??= 'application/x-www-form-urlencoded';
  return request;
}
