import pg from 'pg';
import type { DatabaseHandle } from '../../db/connection.js';
import { EVENTS_NOTIFY_CHANNEL } from './outbox.js';

export interface WakeLog {
  warn(details: object, message: string): void;
}

const MAX_RECONNECT_DELAY_MS = 5_000;

/**
 * Calls `onWake` whenever an event commits anywhere (this node or another). It is only a
 * wake-up: the outbox is the truth, so a lost NOTIFY costs latency (the bus also polls),
 * never an event. Returns a function that stops listening.
 */
export async function listenForEvents(
  database: DatabaseHandle,
  onWake: () => void,
  log: WakeLog,
): Promise<() => Promise<void>> {
  if (database.pglite) {
    // PGlite runs in this process: its LISTEN is an in-process bus.
    return database.pglite.listen(EVENTS_NOTIFY_CHANNEL, onWake);
  }
  if (!database.connectionString) throw new Error('PostgreSQL handle without a connection string');
  const listener = new ReconnectingListener(database.connectionString, onWake, log);
  await listener.connect();
  return () => listener.close();
}

/** A dedicated connection (LISTEN needs one session) that reconnects with back-off. */
class ReconnectingListener {
  private client: pg.Client | null = null;
  private closed = false;
  private failures = 0;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connectionString: string,
    private readonly onWake: () => void,
    private readonly log: WakeLog,
  ) {}

  async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', () => this.onWake());
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_NOTIFY_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    this.failures = 0;
  }

  private lost(client: pg.Client, error: Error): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    client.removeAllListeners('end');
    client.end().catch(() => {});
    this.log.warn({ err: error }, 'event listener connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = Math.min(MAX_RECONNECT_DELAY_MS, 100 * 2 ** this.failures);
    this.failures++;
    this.retryTimer = setTimeout(async () => {
      if (this.closed) return;
      try {
        await this.connect();
        // Whatever committed while we were away: read the outbox now.
        this.onWake();
      } catch (error) {
        this.log.warn({ err: error }, 'event listener reconnect failed');
        this.scheduleReconnect();
      }
    }, delay);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      await client.end().catch(() => {});
    }
  }
}
