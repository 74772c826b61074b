import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, problemBody } from '../../http/problem.js';
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
  /** What to receive from the bus; an event matching several filters arrives once per filter. */
  filters: BusFilter[];
  /** Cheap synchronous pre-check on the bus's turn (skips queueing events this stream ignores). */
  accept?: (event: EventRow) => boolean;
  /** Events missed after a `Last-Event-ID` (default: the first filter, read from the outbox). */
  replay?: (afterSeq: number, upToSeq: number, limit: number) => Promise<EventRow[]>;
  /**
   * Sent on a fresh connect (no Last-Event-ID) before any live event, e.g. the current cart.
   * They carry the bus position as id, so a reconnect resumes from there.
   */
  initial?: () => Promise<Array<Omit<SseMessage, 'id'>>>;
  /**
   * Turns one event into what the client receives (null: skip it). Throwing an ApiError
   * (e.g. 404 when the caller lost access) sends it as an `error` message and ends the stream.
   */
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
  res.write('retry: 2000\n: connected\n\n');

  let closed = false;
  let live = false;
  let lastSent = resumeAfter ?? 0;
  const buffered: EventRow[] = [];
  let chain = Promise.resolve();
  const send = (message: SseMessage | null) => {
    if (!message || closed) return;
    // One event can match several filters (and replay overlaps the buffer): send each seq once.
    if (message.id <= lastSent) return;
    lastSent = Math.max(lastSent, message.id);
    res.write(formatSse(message));
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
  };
  const fail = (error: unknown) => {
    if (error instanceof ApiError) {
      res.write(formatSse({ event: 'error', data: problemBody(error.status, error.code, error.message) }));
    } else {
      request.log.error({ err: error }, 'stream failed');
    }
    close();
  };
  const handle = (event: EventRow) => {
    chain = chain.then(async () => {
      if (!closed && event.seq > lastSent) send(await spec.render(event));
    });
    chain = chain.catch(fail);
  };

  const subscriptions = spec.filters.map((filter) =>
    eventRuntime.bus.subscribe(filter, (event) => {
      if (spec.accept && !spec.accept(event)) return;
      if (live) handle(event);
      else buffered.push(event);
    }),
  );
  const position = subscriptions[0]?.position ?? eventRuntime.bus.position;
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), merx.config.sseHeartbeatMs);
  metrics.streamSubscribers.inc({ stream: spec.stream });
  const cleanup = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const subscription of subscriptions) subscription.close();
    eventRuntime.streams.delete(close);
    metrics.streamSubscribers.dec({ stream: spec.stream });
  };
  function close() {
    cleanup();
    res.end();
  }
  eventRuntime.streams.add(close);
  res.on('close', cleanup);

  const replay =
    spec.replay ??
    ((after: number, upTo: number, limit: number) =>
      readEvents(merx.db, after, upTo, limit, spec.filters[0]));
  try {
    if (resumeAfter === null) {
      for (const message of (await spec.initial?.()) ?? []) {
        res.write(formatSse({ ...message, id: position }));
      }
      lastSent = position;
    } else {
      let after = resumeAfter;
      for (;;) {
        const missed = await replay(after, position, REPLAY_BATCH);
        for (const event of missed) send(await spec.render(event));
        if (missed.length < REPLAY_BATCH || closed) break;
        after = missed[missed.length - 1].seq;
      }
    }
    live = true;
    for (const event of buffered.splice(0).sort((a, b) => a.seq - b.seq)) handle(event);
  } catch (error) {
    fail(error);
  }
}
