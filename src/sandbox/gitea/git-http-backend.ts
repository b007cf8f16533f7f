/**
 * @module sandbox/gitea/git-http-backend
 * Git's smart HTTP protocol served by git's own CGI program, `git http-backend`: one process per
 * request with the CGI variables set, the request body on stdin, and its CGI header block turned
 * back into an HTTP response. Bodies are buffered; sandbox repositories are small.
 */
import { spawn } from 'node:child_process';

export interface CgiRequest {
  method: string;
  /** Path below the project root, e.g. /org/app.git/info/refs */
  pathInfo: string;
  query: string;
  contentType: string | undefined;
  contentEncoding: string | undefined;
  gitProtocol: string | undefined;
  remoteUser: string;
  body: Buffer;
}

export async function runHttpBackend(projectRoot: string, request: CgiRequest): Promise<Response> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GIT_PROJECT_ROOT: projectRoot,
    GIT_HTTP_EXPORT_ALL: '1',
    PATH_INFO: request.pathInfo,
    REQUEST_METHOD: request.method,
    QUERY_STRING: request.query,
    REMOTE_USER: request.remoteUser,
    REMOTE_ADDR: '127.0.0.1',
    CONTENT_LENGTH: String(request.body.length),
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: projectRoot,
  };
  if (request.contentType) env.CONTENT_TYPE = request.contentType;
  if (request.contentEncoding) env.HTTP_CONTENT_ENCODING = request.contentEncoding;
  if (request.gitProtocol) env.GIT_PROTOCOL = request.gitProtocol;
  const output = await new Promise<Buffer>((resolve, reject) => {
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.resume();
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(out)));
    child.stdin.on('error', () => undefined);
    child.stdin.end(request.body);
  });
  return parseCgiOutput(output);
}

export function parseCgiOutput(output: Buffer): Response {
  let end = output.indexOf('\r\n\r\n');
  let skip = 4;
  const lf = output.indexOf('\n\n');
  if (end < 0 || (lf >= 0 && lf < end)) {
    end = lf;
    skip = 2;
  }
  if (end < 0) return new Response('bad gateway: git http-backend gave no headers', { status: 502 });
  const headers = new Headers();
  let status = 200;
  for (const line of output.subarray(0, end).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
    else headers.append(name, value);
  }
  const body = output.subarray(end + skip);
  return new Response(status === 204 || status === 304 ? null : body, { status, headers });
}
