/**
 * @module adapters/postgres/postgres-replica-events
 * ReplicaEvents on PostgreSQL LISTEN/NOTIFY. Each replica holds one connection of its own (a `pg`
 * Client, not the pool: LISTEN belongs to one session) on which it listens and publishes. A
 * NOTIFY reaches every listener, the sender too, so each payload names its replica and a replica
 * drops its own. The channel is named after the schema (a hash of it, to fit an identifier):
 * installations sharing one database in separate schemas do not hear each other.
 * When the connection drops, it is opened again with backoff while anyone listens; what was
 * published meanwhile is lost to this replica (the port says so).
 */
import { createHash, randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../../ports/logger.port.js';
import type { ReplicaEvent, ReplicaEvents } from '../../ports/replica-events.port.js';

const KINDS = new Set(['project', 'list', 'session-closed', 'session-subscriptions']);

export interface PostgresReplicaEventsOptions {
  /** First wait before reconnecting; doubles up to 30 s. */
  reconnectMs?: number;
}

interface Connection {
  client: pg.Client;
  channel: string;
}

export function openPostgresReplicaEvents(
  url: string,
  logger: Logger,
  options: PostgresReplicaEventsOptions = {},
): ReplicaEvents {
  const origin = randomUUID();
  const listeners = new Set<(event: ReplicaEvent) => void>();
  const firstDelay = options.reconnectMs ?? 1000;
  let delay = firstDelay;
  let connection: Promise<Connection> | undefined;
  let retry: NodeJS.Timeout | undefined;
  let closed = false;

  const deliver = (payload: string | undefined) => {
    let message: ReplicaEvent & { origin?: string };
    try {
      message = JSON.parse(payload ?? '') as ReplicaEvent & { origin?: string };
    } catch {
      return;
    }
    if (message.origin === origin || !KINDS.has(message.kind)) return;
    const { origin: _from, ...event } = message;
    for (const listener of listeners) listener(event);
  };

  async function open(): Promise<Connection> {
    const client = new pg.Client({ connectionString: url });
    let lost = false;
    const drop = (error?: Error) => {
      if (lost) return;
      lost = true;
      connection = undefined;
      void client.end().catch(() => undefined);
      if (closed) return;
      logger.warn('replica events connection lost', { err: error });
      if (listeners.size > 0 && !retry) {
        retry = setTimeout(() => {
          retry = undefined;
          void ensure().catch(() => undefined);
        }, delay);
        retry.unref();
        delay = Math.min(delay * 2, 30_000);
      }
    };
    client.on('error', drop);
    client.on('end', () => drop());
    try {
      await client.connect();
      const { rows } = await client.query<{ schema: string | null }>('select current_schema() as schema');
      const channel = `threesix_events_${createHash('sha256')
        .update(rows[0]?.schema ?? '')
        .digest('hex')
        .slice(0, 16)}`;
      client.on('notification', (message) => {
        if (message.channel === channel) deliver(message.payload);
      });
      await client.query(`listen ${client.escapeIdentifier(channel)}`);
      delay = firstDelay;
      return { client, channel };
    } catch (error) {
      drop(error as Error);
      throw error;
    }
  }

  const ensure = () => (connection ??= open());

  return {
    publish(event) {
      if (closed) return;
      void ensure()
        .then(({ client, channel }) =>
          client.query('select pg_notify($1, $2)', [channel, JSON.stringify({ ...event, origin })]),
        )
        .catch((error: unknown) => logger.debug('replica event not published', { err: error, kind: event.kind }));
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!closed) void ensure().catch(() => undefined);
      return () => void listeners.delete(listener);
    },
    async close() {
      closed = true;
      listeners.clear();
      if (retry) clearTimeout(retry);
      const open = connection;
      connection = undefined;
      if (open) await open.then(({ client }) => client.end()).catch(() => undefined);
    },
  };
}
