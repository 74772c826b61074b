import type { AddressInfo } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { inTransaction } from '../../db/transaction.js';
import { emitEvent } from './outbox.js';
import { recordAttempts } from './queue.js';
import { openSse } from './sse-client.js';
import { onEvent, onEvents } from './subscribers.js';

let server: TestServer;
let base: string;
beforeAll(async () => {
  server = await startTestServer({
    eventPollMs: 200,
    sseHeartbeatMs: 100,
    deliveryBackoffMs: 5,
    deliveryMaxAttempts: 3,
  });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
});
afterAll(() => server.close());

const emit = (type: string, resourceId: string, extra: { customerId?: string; channelId?: string } = {}) =>
  inTransaction(server.db, (tx) =>
    emitEvent(tx, {
      type,
      resourceType: type.split('.')[0],
      resourceId,
      data: { id: resourceId, type },
      ...extra,
    }),
  );

describe('GET /admin/v1/events', () => {
  it('lists events in seq order with filters and a cursor', async () => {
    const resource = unique('thing');
    const customer = unique('cus');
    const first = await emit('cart.created', resource, { customerId: customer });
    await emit('product.updated', unique('prod'));
    const second = await emit('cart.updated', resource);
    const third = await emit('cart.updated', resource, { customerId: customer });

    const byResource = await server.admin('GET', `/admin/v1/events?resource_id=${resource}&limit=2`);
    expect(byResource.statusCode).toBe(200);
    const page1 = byResource.json();
    expect(page1.data.map((e: { id: string }) => e.id)).toEqual([first.id, second.id]);
    expect(page1.data[0]).toMatchObject({
      type: 'cart.created',
      resource_type: 'cart',
      customer_id: customer,
    });
    expect(page1.has_more).toBe(true);
    const page2 = (
      await server.admin(
        'GET',
        `/admin/v1/events?resource_id=${resource}&limit=2&cursor=${page1.next_cursor}`,
      )
    ).json();
    expect(page2.data.map((e: { id: string }) => e.id)).toEqual([third.id]);
    expect(page2.has_more).toBe(false);

    const typed = (
      await server.admin('GET', `/admin/v1/events?resource_id=${resource}&type=cart.created,cart.completed`)
    ).json();
    expect(typed.data.map((e: { id: string }) => e.id)).toEqual([first.id]);
    const mine = (
      await server.admin('GET', `/admin/v1/events?customer_id=${customer}&after_seq=${first.seq}`)
    ).json();
    expect(mine.data.map((e: { id: string }) => e.id)).toEqual([third.id]);

    const one = await server.admin('GET', `/admin/v1/events/${second.id}`);
    expect(one.json()).toMatchObject({ id: second.id, seq: second.seq, data: { id: resource } });
  });

  it('answers 404 for an unknown event, 400 for bad filters, 403 without the scope', async () => {
    expect((await server.admin('GET', '/admin/v1/events/evt_nope')).statusCode).toBe(404);
    const bad = await server.admin('GET', '/admin/v1/events?type=NOT A TYPE&bogus=1');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('invalid_request');
    const key = await server.admin('POST', '/admin/v1/keys', {
      kind: 'secret',
      name: 'x',
      scopes: ['catalog:read'],
    });
    expect((await server.store(key.json().token, 'GET', '/admin/v1/events')).statusCode).toBe(403);
  });

  it.runIf(process.env.DATABASE_URL)(
    'never lists past a transaction that took an earlier seq and has not committed yet',
    async () => {
      const resource = unique('late');
      let releaseLate: () => void = () => {};
      const lateMayCommit = new Promise<void>((resolve) => (releaseLate = resolve));
      let lateEmitted: () => void = () => {};
      const lateHasSeq = new Promise<void>((resolve) => (lateEmitted = resolve));
      const late = inTransaction(server.db, async (tx) => {
        const event = await emitEvent(tx, {
          type: 'cart.updated',
          resourceType: 'cart',
          resourceId: resource,
          data: 1,
        });
        lateEmitted();
        await lateMayCommit;
        return event;
      });
      await lateHasSeq;
      const early = await emit('cart.updated', resource);
      // The early event committed, but a reader that took it now would step over the late one.
      const before = (await server.admin('GET', `/admin/v1/events?resource_id=${resource}`)).json();
      expect(before.data).toEqual([]);
      releaseLate();
      const lateEvent = await late;
      expect(lateEvent.seq).toBeLessThan(early.seq);
      const after = (await server.admin('GET', `/admin/v1/events?resource_id=${resource}`)).json();
      expect(after.data.map((e: { seq: number }) => e.seq)).toEqual([lateEvent.seq, early.seq]);
    },
  );
  it.runIf(process.env.DATABASE_URL)(
    'is not held back by a long transaction that writes no event',
    async () => {
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      let started: () => void = () => {};
      const isRunning = new Promise<void>((resolve) => (started = resolve));
      const unrelated = inTransaction(server.db, async (tx) => {
        await tx
          .insertInto('event_consumers')
          .values({ name: unique('bulk-import'), last_seq: 0 })
          .execute();
        started();
        await held;
      });
      await isRunning;
      const resource = unique('busy');
      const event = await emit('product.updated', resource);
      const listed = (await server.admin('GET', `/admin/v1/events?resource_id=${resource}`)).json();
      expect(listed.data.map((e: { id: string }) => e.id)).toEqual([event.id]);
      release();
      await unrelated;
    },
  );
});

describe('GET /admin/v1/events/stream', () => {
  it('streams new events live, sends heartbeats, and resumes after Last-Event-ID with exactly the missed ones', async () => {
    const resource = unique('res');
    const url = `${base}/admin/v1/events/stream?resource_id=${resource}&key=${server.adminKey}`;
    const first = await openSse(url);
    expect(first.status).toBe(200);
    const a = await emit('cart.updated', resource);
    const [got] = await first.waitFor(1);
    expect(got).toMatchObject({ id: String(a.seq), event: 'cart.updated' });
    expect(JSON.parse(got.data)).toMatchObject({ id: a.id, resource_id: resource });
    first.close();

    const missed = [await emit('cart.updated', resource), await emit('cart.completed', resource)];
    await emit('product.updated', unique('other'));
    const resumed = await openSse(url, { 'last-event-id': String(a.seq) });
    const replay = await resumed.waitFor(2);
    expect(replay.map((m) => m.id)).toEqual(missed.map((e) => String(e.seq)));
    const live = await emit('cart.updated', resource);
    const all = await resumed.waitFor(3);
    expect(all.map((m) => m.id)).toEqual([...missed, live].map((e) => String(e.seq)));
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(resumed.comments).toBeGreaterThanOrEqual(2);
    resumed.close();
  });

  it('refuses a stream without a key before opening it', async () => {
    const refused = await server.app.inject({ method: 'GET', url: '/admin/v1/events/stream' });
    expect(refused.statusCode).toBe(401);
  });
});

describe('onEvent subscribers', () => {
  it('delivers each committed event once, retries a failing handler and dead-letters it after the limit', async () => {
    const resource = unique('sub');
    const seen: string[] = [];
    let failuresLeft = 2;
    const offFlaky = onEvent(
      'order.placed',
      async (event) => {
        if (event.resourceId !== resource) return;
        if (failuresLeft-- > 0) throw new Error('mail server down');
        seen.push(event.id);
      },
      { name: unique('flaky') },
    );
    const doomedName = unique('doomed');
    const offDoomed = onEvent(
      ['order.placed'],
      (event) => {
        if (event.resourceId === resource) throw new Error('always broken');
      },
      { name: doomedName },
    );
    const placed = await emit('order.placed', resource);
    await expect.poll(() => seen, { timeout: 5000 }).toEqual([placed.id]);
    await expect
      .poll(
        async () =>
          server.db
            .selectFrom('event_deliveries')
            .select(['status', 'attempts'])
            .where('consumer', '=', `subscriber:${doomedName}`)
            .where('event_id', '=', placed.id)
            .executeTakeFirst(),
        { timeout: 5000 },
      )
      .toEqual({ status: 'dead', attempts: 3 });
    offFlaky();
    offDoomed();
  });
});

describe('onEvents batch subscribers', () => {
  it('hands events due together over in one call, and retries a failed call one event at a time', async () => {
    const type = unique('test.batched').toLowerCase();
    const calls: string[][] = [];
    const name = unique('batched');
    const off = onEvents(
      type,
      (events) => {
        calls.push(events.map((event) => event.resourceId));
        if (events.some((event) => event.resourceId === 'poison')) throw new Error('cannot digest');
      },
      { name, maxBatch: 10 },
    );
    const emitted = await inTransaction(server.db, async (tx) => {
      const written = [];
      for (const resourceId of ['first', 'poison', 'last'])
        written.push(await emitEvent(tx, { type, resourceType: 'test', resourceId, data: {} }));
      return written;
    });
    const statuses = () =>
      server.db
        .selectFrom('event_deliveries')
        .select(['event_id', 'status', 'attempts'])
        .where('consumer', '=', `subscriber:${name}`)
        .orderBy('event_seq')
        .execute();
    await expect.poll(statuses, { timeout: 5000 }).toEqual([
      { event_id: emitted[0].id, status: 'succeeded', attempts: 2 },
      { event_id: emitted[1].id, status: 'dead', attempts: 3 },
      { event_id: emitted[2].id, status: 'succeeded', attempts: 2 },
    ]);
    expect(calls[0]).toEqual(['first', 'poison', 'last']);
    expect(calls.slice(1).every((call) => call.length === 1)).toBe(true);
    expect(calls.slice(1).flat().sort()).toEqual(['first', 'last', 'poison', 'poison']);
    off();
  });
});

describe('recordAttempts', () => {
  it('settles a whole batch in one go: succeeded, retried later, dead; a stale lease or a deleted delivery changes nothing', async () => {
    const consumer = `test:${unique('settle')}`;
    const rows = ['ok', 'retry', 'dead', 'stale'].map((label, i) => ({
      id: unique(`edl_${label}`),
      consumer,
      event_seq: i + 1,
      event_id: unique('evt'),
      event_type: 'test.settled',
      attempts: label === 'dead' ? 3 : label === 'stale' ? 2 : 1,
      // Leased far ahead, so the running worker leaves these rows alone.
      next_attempt_at: new Date(Date.now() + 3_600_000),
    }));
    const inserted = await server.db.insertInto('event_deliveries').values(rows).returningAll().execute();
    const [ok, retry, dead, stale] = rows.map((row) => inserted.find((r) => r.id === row.id)!);
    const deleted = { ...ok, id: unique('edl_gone') };
    const outcome = (okay: boolean) => ({
      ok: okay,
      statusCode: okay ? 200 : 500,
      error: okay ? null : 'Receiver answered 500',
      durationMs: 12.4,
    });
    const verdicts = await recordAttempts(
      server.db,
      [
        { delivery: ok, outcome: outcome(true) },
        { delivery: retry, outcome: outcome(false) },
        { delivery: dead, outcome: outcome(false) },
        // Its lease ran out and another worker re-claimed it (attempts 2 in the row).
        { delivery: { ...stale, attempts: 1 }, outcome: outcome(true) },
        { delivery: deleted, outcome: outcome(true) },
      ],
      { maxAttempts: 3, backoffMs: 60_000, random: () => 0 },
    );
    expect(verdicts).toEqual(['succeeded', 'failed', 'dead', 'succeeded', 'succeeded']);
    const settled = await server.db
      .selectFrom('event_deliveries')
      .select([
        'id',
        'status',
        'last_status_code',
        'last_error',
        'last_duration_ms',
        sql<number>`round(extract(epoch from next_attempt_at - now()))::int`.as('due_in_s'),
      ])
      .where('consumer', '=', consumer)
      .orderBy('event_seq')
      .execute();
    expect(settled).toEqual([
      {
        id: ok.id,
        status: 'succeeded',
        last_status_code: 200,
        last_error: null,
        last_duration_ms: 12,
        due_in_s: 0,
      },
      {
        id: retry.id,
        status: 'pending',
        last_status_code: 500,
        last_error: 'Receiver answered 500',
        last_duration_ms: 12,
        // Half the first back-off step, the jitter being 0.
        due_in_s: 30,
      },
      {
        id: dead.id,
        status: 'dead',
        last_status_code: 500,
        last_error: 'Receiver answered 500',
        last_duration_ms: 12,
        due_in_s: 0,
      },
      {
        id: stale.id,
        status: 'pending',
        last_status_code: null,
        last_error: null,
        last_duration_ms: null,
        due_in_s: 3600,
      },
    ]);
    const logged = await server.db
      .selectFrom('event_delivery_attempts')
      .select(['delivery_id', 'attempt', 'status_code'])
      .where('delivery_id', 'in', [...rows.map((row) => row.id), deleted.id])
      .orderBy('delivery_id')
      .execute();
    expect(logged).toEqual(
      [
        { delivery_id: ok.id, attempt: 1, status_code: 200 },
        { delivery_id: retry.id, attempt: 1, status_code: 500 },
        { delivery_id: dead.id, attempt: 3, status_code: 500 },
        { delivery_id: stale.id, attempt: 1, status_code: 200 },
      ].sort((x, y) => (x.delivery_id < y.delivery_id ? -1 : 1)),
    );
  });
});

describe('GET /metrics', () => {
  it('exposes request, stream, pool and queue metrics in the Prometheus format', async () => {
    await server.admin('GET', '/admin/v1/events?limit=1');
    const response = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toMatch(
      /merx_http_requests_total\{method="GET",route="\/admin\/v1\/events",status="200"\} \d+/,
    );
    expect(text).toContain('merx_http_request_duration_seconds_bucket');
    expect(text).toContain('merx_db_pool_connections{state="total"}');
    expect(text).toContain('merx_event_delivery_queue{status="pending"}');
    expect(text).toContain('merx_stream_subscribers');
  });

  it('continues the caller’s W3C trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await server.app.inject({
      method: 'GET',
      url: '/health',
      headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
    });
    expect(response.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
  });
});
