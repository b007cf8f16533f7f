/**
 * A tiny load balancer in front of several `serve` replicas, as an Ingress or a Service would be:
 * the client keeps one URL (and its MCP session id) whichever replica answers. `/mcp` and
 * everything else goes to the first upstream and fails over to the next when it refuses the
 * connection (a SIGKILLed process); CI deliveries (`/webhooks/…`) go to the upstreams in turn,
 * skipping one that refuses, so each replica takes its share of them. Response bodies (SSE
 * streams, long tool calls) are streamed through as they come. Request bodies are read whole
 * first (MCP messages and deliveries are small) so a refused attempt can be sent again elsewhere;
 * nothing is retried once an upstream has accepted the connection.
 *
 * In front of one stand-in it is also a gate: `hold` keeps chosen requests until the test lets
 * them go, so a replica can be killed at a known point (a step's backend call in flight) instead
 * of by polling for a window a loaded machine may let pass.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FailoverProxy {
  url: string;
  /** Which upstream (its index) answered each request, in order, with the request's path. */
  served: Array<{ upstream: number; path: string }>;
  /** Sends every CI delivery to this upstream first (undefined: in turn again). */
  pinWebhooks(upstream: number | undefined): void;
  /**
   * Holds the requests `matches` picks until `release()`; one whose client went away meanwhile
   * (its replica was killed) is dropped then, never sent. `held` resolves at the first one held.
   */
  hold(matches: (method: string, path: string) => boolean): Gate;
  close(): Promise<void>;
}

export interface Gate {
  held: Promise<void>;
  release(): void;
}

/** `upstreams`: base URLs such as http://127.0.0.1:1234, read on every request (a respawned replica may move). */
export async function startFailoverProxy(upstreams: () => string[]): Promise<FailoverProxy> {
  const served: FailoverProxy['served'] = [];
  let turn = 0;
  let pinned: number | undefined;
  const gates: Array<{ matches: (method: string, path: string) => boolean; arrived(): void; open: Promise<void> }> = [];

  async function forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    for (const gate of gates.filter((g) => g.matches(req.method ?? 'GET', req.url ?? '/'))) {
      gate.arrived();
      await gate.open;
    }
    if (req.socket.destroyed) return;
    const targets = upstreams();
    const first = req.url?.startsWith('/webhooks/') ? (pinned ?? turn++ % targets.length) : 0;
    const order = targets.map((_, i) => (first + i) % targets.length);
    for (const index of order) {
      const outcome = await attempt(targets[index]!, req, body, res);
      if (outcome === 'refused') continue;
      served.push({ upstream: index, path: req.url ?? '' });
      return;
    }
    res.writeHead(502, { 'content-type': 'text/plain' }).end('no upstream accepted the connection');
  }

  /** One try at one upstream: 'refused' when it could not be reached, so the next may be asked. */
  function attempt(base: string, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<'ok' | 'refused'> {
    return new Promise((done) => {
      const headers: Record<string, string | string[] | undefined> = { ...req.headers, host: new URL(base).host };
      // The body was read whole: it goes with its length, not chunked. A GET (the SSE stream) keeps none.
      delete headers['transfer-encoding'];
      if (body.length > 0 || req.method !== 'GET') headers['content-length'] = String(body.length);
      // A new connection each time (no pooled socket to a replica that died since), so "refused" means not sent.
      const target = new URL(req.url ?? '/', base);
      const upstream = request(target, { method: req.method, headers, agent: false }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        // Streams stay open as long as the upstream keeps them (an SSE stream ends when its replica dies).
        answer.once('error', () => res.destroy());
        res.once('close', () => answer.destroy());
        done('ok');
      });
      upstream.once('error', (error: NodeJS.ErrnoException) => {
        // Only a refused connection is tried elsewhere: a request cut after it was sent may have run.
        if (!res.headersSent && error.code === 'ECONNREFUSED') return done('refused');
        res.destroy();
        done('ok');
      });
      upstream.end(body);
    });
  }

  const server = createServer((req, res) => {
    forward(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    pinWebhooks: (upstream) => (pinned = upstream),
    hold(matches) {
      let arrived!: () => void;
      let release!: () => void;
      const gate = {
        matches,
        held: new Promise<void>((resolve) => (arrived = resolve)),
        open: new Promise<void>((resolve) => (release = resolve)),
        arrived: () => arrived(),
      };
      gates.push(gate);
      return {
        held: gate.held,
        release: () => {
          gates.splice(gates.indexOf(gate), 1);
          release();
        },
      };
    },
    close: () =>
      new Promise((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
