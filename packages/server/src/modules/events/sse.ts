import type { FastifyReply, FastifyRequest } from 'fastify';
import type { BusFilter } from './bus.js';
import { readEvents } from './horizon.js';
import type { EventRow } from './tables.js';

export interface SseMessage {
  /** The outbox seq: what the client sends back as `Last-Event-ID`. */
  id: number;
  event: string;
  data: unknown;
}

export interface StreamSpec {
  /** Metrics label: which kind of stream this is. */
  stream: string;
  filter: BusFilter;
  /**
   * Sent on a fresh connect (no Last-Event-ID) before any live event, e.g. the current cart.
   * They carry the bus position as id, so a reconnect resumes from there.
   */
  initial?: () => Promise<Array<Omit<SseMessage, 'id'>>>;
  /** Turns one event into what the client receives (or null to skip it). */
  render: (event: EventRow) => Promise<SseMessage | null>;
}

// A client this far behind is cut off; it reconnects with Last-Event-ID and replays from the outbox.
const MAX_BUFFERED_BYTES = 1024 * 1024;
const REPLAY_BATCH = 200;

export function lastEventId(request: FastifyRequest): number | null {
  const header = request.headers['last-event-id'];
  const query = (request.query as { last_event_id?: unknown } | undefined)?.last_event_id;
  const raw = typeof header === 'string' ? header : typeof query === 'string' ? query : undefined;
  if (raw === undefined || !/^\d{1,15}$/.test(raw.trim())) return null;
  return Number(raw.trim());
}

export function formatSse(message: Partial<SseMessage>): string {
  let out = '';
  if (message.id !== undefined) out += `id: ${message.id}\n`;
  if (message.event) out += `event: ${message.event}\n`;
  out += `data: ${JSON.stringify(message.data ?? null)}\n\n`;
  return out;
}

/**
 * Serves one Server-Sent Events stream: replay from the outbox after `Last-Event-ID`,
 * then live events from the bus, with no gap and no duplicate between the two (the bus
 * subscription is taken first; replay stops at the position it reports). Authorisation is
 * the caller's job and must happen before this is called.
 */
export async function serveStream(
  request: FastifyRequest,
  reply: FastifyReply,
  spec: StreamSpec,
): Promise<void> {
  const { eventRuntime, metrics, merx } = request.server;
  const heartbeatMs = merx.config.sseHeartbeatMs;
  const resumeAfter = lastEventId(request);

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    // nginx buffers proxied responses unless told otherwise.
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  });
  res.write(`retry: 2000\n: connected\n\n`);

  let closed = false;
  let live = false;
  const buffered: EventRow[] = [];
  let chain = Promise.resolve();
  const send = (message: SseMessage | null) => {
    if (!message || closed) return;
    res.write(formatSse(message));
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
  };
  const handle = (event: EventRow) => {
    chain = chain.then(async () => {
      if (!closed) send(await spec.render(event));
    });
    chain = chain.catch((error) => {
      request.log.error({ err: error }, 'stream render failed');
      res.destroy();
    });
  };

  const subscription = eventRuntime.bus.subscribe(spec.filter, (event) =>
    live ? handle(event) : buffered.push(event),
  );
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  metrics.streamSubscribers.inc({ stream: spec.stream });
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    subscription.close();
    eventRuntime.streams.delete(close);
    metrics.streamSubscribers.dec({ stream: spec.stream });
  };
  const close = () => {
    cleanup();
    res.end();
  };
  eventRuntime.streams.add(close);
  res.on('close', cleanup);
  request.raw.on('close', cleanup);

  try {
    if (resumeAfter === null) {
      for (const message of (await spec.initial?.()) ?? []) send({ ...message, id: subscription.position });
    } else {
      let after = resumeAfter;
      for (;;) {
        const missed = await readEvents(merx.db, after, subscription.position, REPLAY_BATCH, spec.filter);
        for (const event of missed) send(await spec.render(event));
        if (missed.length < REPLAY_BATCH || closed) break;
        after = missed[missed.length - 1].seq;
      }
    }
    live = true;
    for (const event of buffered.splice(0)) handle(event);
  } catch (error) {
    request.log.error({ err: error }, 'stream replay failed');
    cleanup();
    res.destroy();
  }
}
