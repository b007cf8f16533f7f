/**
 * The body limit over real HTTP (the Content-Length shortcut only exists on a real socket):
 * sized and chunked bodies over the limit are refused by onError, those within it reach the
 * handler whole.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitBody } from '../../src/http/body-limit.js';

const LIMIT = 1024;

function post(port: number, body: string, chunked: boolean): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const headers = chunked
      ? { 'transfer-encoding': 'chunked' }
      : { 'content-length': String(Buffer.byteLength(body)) };
    const req = request({ host: '127.0.0.1', port, path: '/in', method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    // Chunked: send the body in pieces, so the limit is met mid-stream.
    if (chunked) for (let i = 0; i < body.length; i += 300) req.write(body.slice(i, i + 300));
    req.end(chunked ? undefined : body);
  });
}

describe('limitBody', () => {
  let server: ReturnType<typeof serve>;
  let port: number;
  beforeAll(async () => {
    const app = new Hono();
    app.post('/in', limitBody({ maxSize: LIMIT, onError: (c) => c.text('too large', 413) }), async (c) =>
      c.text(`got ${(await c.req.text()).length}`),
    );
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each([
    ['Content-Length', false],
    ['chunked', true],
  ])('with %s, passes a body at the limit whole and refuses one byte more', async (_, chunked) => {
    expect(await post(port, 'a'.repeat(LIMIT), chunked)).toEqual({ status: 200, text: `got ${LIMIT}` });
    expect(await post(port, 'a'.repeat(LIMIT + 1), chunked)).toEqual({ status: 413, text: 'too large' });
  });

  it('passes an empty body', async () => {
    expect(await post(port, '', false)).toEqual({ status: 200, text: 'got 0' });
  });
});
