/**
 * @module http/body-limit
 * Hono's `bodyLimit`, without its cost for bodies of known length. It first reads
 * `c.req.raw.body`, which makes @hono/node-server build a full web Request with a ReadableStream
 * over the socket, so the handler's `c.req.text()` then reads through web streams too; on the
 * webhook that cost more per delivery than the bare route's whole request. When Content-Length
 * is given (and no Transfer-Encoding), Node's HTTP parser delivers exactly that many bytes, so
 * the header alone decides, as in `bodyLimit`, and `c.req.text()` keeps node-server's direct read.
 * Chunked bodies still go through `bodyLimit`, which counts them as they stream.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export function limitBody(options: {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}): MiddlewareHandler {
  const streaming = bodyLimit(options);
  return async function limitBodyMiddleware(c, next) {
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streaming(c, next);
    if (Number.parseInt(length, 10) > options.maxSize) return options.onError(c);
    await next();
  };
}
