/**
 * @module sandbox/cloudflare/cloudflare-app
 * The Cloudflare API routes the DNS adapter uses, under /client/v4, with Cloudflare's envelope
 * (success, errors, messages, result, result_info), page/per_page pagination (an empty page past the
 * end, as the SDK's paginator expects) and its error codes. Batch is not served: the adapter does
 * not use it.
 */
import { Hono, type Context } from 'hono';
import { CfError, type CfRecord, type CloudflareZone } from './cloudflare-zone.js';
import { faultBody, type FaultSwitch } from './cloudflare-faults.js';

const envelope = (result: unknown, extra: Record<string, unknown> = {}) => ({
  success: true,
  errors: [],
  messages: [],
  result,
  ...extra,
});
const failure = (code: number, message: string) => ({
  success: false,
  errors: [{ code, message }],
  messages: [],
  result: null,
});

export function createCloudflareApp(options: { token: string; zone: CloudflareZone; faults: FaultSwitch }): Hono {
  const { zone, faults } = options;
  const app = new Hono().basePath('/client/v4');

  app.onError((error, c) => {
    if (error instanceof CfError) return c.json(failure(error.code, error.message), error.status as 400);
    return c.json(failure(1000, 'An internal error occurred'), 500);
  });

  app.use('*', async (c, next) => {
    if (c.req.header('authorization') !== `Bearer ${options.token}`) {
      return c.json(failure(10000, 'Authentication error'), 401);
    }
    const fault = faults.take(c.req.method);
    if (fault && !fault.afterApply) return faultResponse(fault.status, fault.retryAfter);
    await next();
    if (fault) c.res = faultResponse(fault.status, fault.retryAfter);
  });

  app.use('/zones/:zone_id/*', async (c, next) => {
    if (c.req.param('zone_id') !== zone.id) {
      return c.json(failure(7003, 'Could not route to /zones, perhaps your object identifier is invalid?'), 404);
    }
    await next();
  });

  app.get('/zones/:zone_id', (c) => {
    if (c.req.param('zone_id') !== zone.id)
      return c.json(failure(7003, 'Could not route to /zones, perhaps your object identifier is invalid?'), 404);
    return c.json(envelope(zoneDetails(zone)));
  });

  app.get('/zones/:zone_id/dns_records', (c) => {
    const query = new URL(c.req.url).searchParams;
    const page = Number(query.get('page') ?? 1);
    const perPage = Number(query.get('per_page') ?? 100);
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > 50_000) {
      throw new CfError(400, 1004, 'DNS Validation Error: invalid pagination parameters');
    }
    const matching = zone
      .all()
      .filter((r) => matches(r, query))
      .sort(byTypeNameContent);
    const result = matching.slice((page - 1) * perPage, page * perPage);
    return c.json(
      envelope(result, {
        result_info: {
          page,
          per_page: perPage,
          count: result.length,
          total_count: matching.length,
          total_pages: Math.ceil(matching.length / perPage),
        },
      }),
    );
  });

  app.post('/zones/:zone_id/dns_records', async (c) => c.json(envelope(zone.create(await body(c)))));
  app.get('/zones/:zone_id/dns_records/:id', (c) => c.json(envelope(zone.get(c.req.param('id')))));
  app.put('/zones/:zone_id/dns_records/:id', async (c) =>
    c.json(envelope(zone.update(c.req.param('id'), await body(c), false))),
  );
  app.patch('/zones/:zone_id/dns_records/:id', async (c) =>
    c.json(envelope(zone.update(c.req.param('id'), await body(c), true))),
  );
  app.delete('/zones/:zone_id/dns_records/:id', (c) => c.json(envelope(zone.delete(c.req.param('id')))));
  app.notFound((c) => c.json(failure(7003, 'No route for the URI'), 404));
  return app;
}

function zoneDetails(zone: CloudflareZone) {
  const when = '2026-01-01T00:00:00Z';
  return {
    id: zone.id,
    name: zone.name,
    status: 'active',
    paused: false,
    type: 'full',
    development_mode: 0,
    owner: { id: 'b'.repeat(32), type: 'user', email: 'sandbox@threesix.invalid' },
    account: { id: 'a'.repeat(32), name: 'threesix sandbox' },
    meta: { step: 2, dns_only: true, phishing_detected: false },
    name_servers: ['ada.ns.cloudflare.com', 'bob.ns.cloudflare.com'],
    original_name_servers: null,
    original_registrar: null,
    original_dnshost: null,
    created_on: when,
    modified_on: when,
    activated_on: when,
  };
}

function faultResponse(status: number, retryAfter?: number): Response {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (status === 429) headers['retry-after'] = String(retryAfter ?? 1);
  return new Response(JSON.stringify(faultBody(status)), { status, headers });
}

async function body(c: Context): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new CfError(400, 9207, 'Request body is invalid.');
  }
}

/** The list filters the adapter and common clients use: name/content/type exact, comment filters. */
function matches(r: CfRecord, q: URLSearchParams): boolean {
  const eq = (a: string | undefined, b: string | null) => b === null || (a ?? '').toLowerCase() === b.toLowerCase();
  const comment = r.comment ?? '';
  return (
    eq(r.name, q.get('name')) &&
    eq(r.name, q.get('name.exact')) &&
    eq(r.type, q.get('type')) &&
    eq(r.content, q.get('content')) &&
    eq(r.content, q.get('content.exact')) &&
    eq(comment, q.get('comment')) &&
    (q.get('comment.contains') === null || comment.toLowerCase().includes(q.get('comment.contains')!.toLowerCase())) &&
    (q.get('comment.present') === null || comment !== '') &&
    (q.get('comment.absent') === null || comment === '')
  );
}

function byTypeNameContent(a: CfRecord, b: CfRecord): number {
  return (
    a.type.localeCompare(b.type) ||
    a.name.localeCompare(b.name) ||
    a.content.localeCompare(b.content) ||
    a.id.localeCompare(b.id)
  );
}
