/**
 * followContainerLog against an API server that splits its chunks where it likes (as a real one
 * flushing kubelet output does): a secret cut across two chunks is still redacted, lines are handed
 * on whole, and a final line without a newline still arrives when the stream ends. The server is
 * a few lines of node:http writing `pods/{pod}/log?follow=true` answers chunk by chunk.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followContainerLog } from '../../src/adapters/kubernetes/kube-follow-logs.js';

const SECRET = 'split-secret-value-99';

describe('following a log whose chunks cut lines and secrets', () => {
  let server: Server;
  let kc: KubeConfig;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunks = [
        'starting\nenv TOKEN=split-sec',
        'ret-value-99\nGET / 200\nhalf a li',
        'ne\nlast line without newline',
      ];
      const next = (i: number) => {
        if (i === chunks.length) return void res.end();
        res.write(chunks[i]);
        setTimeout(() => next(i + 1), 60);
      };
      next(0);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        { name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
      ],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
      currentContext: 'x',
    });
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('redacts across chunk boundaries and hands on whole lines only', async () => {
    const texts: string[] = [];
    await followContainerLog(
      kc,
      { namespace: 'projects', pod: 'web-1', container: 'app', secrets: [SECRET] },
      { tail: 10, signal: new AbortController().signal, onText: (t) => void texts.push(t) },
    );
    expect(seen[0]).toMatch(/^\/api\/v1\/namespaces\/projects\/pods\/web-1\/log\?container=app&follow=true&/);
    expect(seen[0]).toContain('tailLines=10');
    expect(texts.join('')).toBe('starting\nenv TOKEN=[REDACTED]\nGET / 200\nhalf a line\nlast line without newline\n');
    expect(texts.join('')).not.toContain('split-sec');
    for (const text of texts) expect(text.endsWith('\n')).toBe(true);
  });
});
