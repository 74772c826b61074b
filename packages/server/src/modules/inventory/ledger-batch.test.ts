import { type KyselyPlugin, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { inTransaction } from '../../db/transaction.js';
import { createProduct } from '../cart/test-support.js';
import { emitEvents } from '../events/outbox.js';
import { commitReservations, releaseReservations, reserve } from './reservations.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function location(channelId: string, priority: number): Promise<string> {
  const created = await server.admin('POST', '/admin/v1/stock-locations', {
    name: unique('warehouse'),
    priority,
    channel_ids: [channelId],
  });
  expect(created.statusCode).toBe(201);
  return created.json().id;
}

async function setLevel(variantId: string, locationId: string, onHand: number, threshold?: number) {
  const response = await server.admin(
    'PUT',
    `/admin/v1/inventory/variants/${variantId}/levels/${locationId}`,
    {
      on_hand: onHand,
      reason: 'received',
      ...(threshold === undefined ? {} : { low_stock_threshold: threshold }),
    },
  );
  expect(response.statusCode).toBe(200);
}

const eventsAfter = (seq: number, variantIds: string[]) =>
  server.db
    .selectFrom('events')
    .select(['seq', 'type', 'resource_id', 'data'])
    .where('resource_id', 'in', variantIds)
    .where('seq', '>', seq)
    .orderBy('seq')
    .execute();

const lastSeq = async () =>
  Number(
    (
      await server.db
        .selectFrom('events')
        .select((eb) => eb.fn.max('seq').as('seq'))
        .executeTakeFirstOrThrow()
    ).seq ?? 0,
  );

/** Counts the statements sent through the handle (every one is a round trip). */
function counting() {
  let sent = 0;
  // transformQuery also sees subqueries as they are built; a result comes back once per statement.
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      sent += 1;
      return args.result;
    },
  };
  return { sent: () => sent, db: server.db.withPlugin(plugin) };
}

describe('set-based stock ledger writes', () => {
  it('emitEvents writes several events in one statement, returning them in order with ascending seqs', async () => {
    const ids = [unique('var'), unique('var'), unique('var')];
    const rows = await inTransaction(server.db, (tx) =>
      emitEvents(
        tx,
        ids.map((id, i) => ({
          type: i === 1 ? 'inventory.low' : 'inventory.changed',
          resourceType: 'variant',
          resourceId: id,
          data: { n: i },
        })),
      ),
    );
    expect(rows.map((row) => [row.resource_id, row.type, row.data])).toEqual([
      [ids[0], 'inventory.changed', { n: 0 }],
      [ids[1], 'inventory.low', { n: 1 }],
      [ids[2], 'inventory.changed', { n: 2 }],
    ]);
    const seqs = rows.map((row) => Number(row.seq));
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(3);
    expect(await inTransaction(server.db, (tx) => emitEvents(tx, []))).toEqual([]);
  });

  it('reserves and commits many lines across locations with the same rows and events as line by line', async () => {
    const channel = await server.newChannel();
    const first = await location(channel.id, 0);
    const second = await location(channel.id, 10);
    const [a, b] = (await createProduct(server, [channel.id], [{ price: 1000 }, { price: 1000 }])) as [
      string,
      string,
    ];
    await setLevel(a, first, 2, 1);
    await setLevel(a, second, 5);
    await setLevel(b, first, 6, 3);
    const cartId = unique('cart');
    const orderId = unique('ord');
    // Levels are locked, written and reported in (variant_id, location_id) order.
    const lockOrder = [
      [a, first],
      [a, second],
      [b, first],
    ].sort(([v1, l1], [v2, l2]) => (`${v1}\u0000${l1}` < `${v2}\u0000${l2}` ? -1 : 1)) as Array<
      [string, string]
    >;
    const start = await lastSeq();

    const { reservations } = await inTransaction(server.db, (tx) =>
      reserve(tx, {
        channelId: channel.id,
        cartId,
        lines: [
          { variantId: a, quantity: 3 },
          { variantId: b, quantity: 3 },
        ],
        ttlSeconds: 600,
      }),
    );
    const heldAt = (variantId: string, locationId: string) =>
      reservations
        .filter((r) => r.variant_id === variantId && r.location_id === locationId)
        .map((r) => r.quantity);
    expect([heldAt(a, first), heldAt(a, second), heldAt(b, first)]).toEqual([[2], [1], [3]]);
    expect(reservations.every((r) => r.status === 'active' && r.cart_id === cartId)).toBe(true);
    expect(new Set(reservations.map((r) => r.expires_at?.getTime())).size).toBe(1);
    expect(reservations[0]?.expires_at).toBeInstanceOf(Date);

    // Each level's inventory.changed, followed by its inventory.low when it crosses the threshold.
    const crossing = new Set([`${a}@${first}`, `${b}@${first}`]);
    const reserved = await eventsAfter(start, [a, b]);
    expect(
      reserved.map((e) => [e.type, e.resource_id, (e.data as { location_id: string }).location_id]),
    ).toEqual(
      lockOrder.flatMap(([variantId, locationId]) => [
        ['inventory.changed', variantId, locationId],
        ...(crossing.has(`${variantId}@${locationId}`) ? [['inventory.low', variantId, locationId]] : []),
      ]),
    );

    // A second hold on an already held level.
    await setLevel(a, second, 6);
    await inTransaction(server.db, (tx) =>
      reserve(tx, {
        channelId: channel.id,
        cartId,
        lines: [
          { variantId: a, quantity: 4 },
          { variantId: b, quantity: 3 },
        ],
      }),
    );
    const beforeCommit = await lastSeq();
    const committed = await inTransaction(server.db, (tx) =>
      commitReservations(tx, { cartId, orderId, actor: 'tester' }),
    );
    const holds = await server.db
      .selectFrom('inventory_reservations')
      .selectAll()
      .where('cart_id', '=', cartId)
      .orderBy('id')
      .execute();
    expect(holds).toHaveLength(4);
    expect(committed).toEqual(
      holds.map((h) => ({ variantId: h.variant_id, locationId: h.location_id, quantity: h.quantity })),
    );
    expect(holds.map((r) => [r.status, r.order_id, r.expires_at])).toEqual(
      holds.map(() => ['committed', orderId, null]),
    );
    // Movements follow the holds in ID order; two holds on one level count on hand down in turn.
    const movements = await server.db
      .selectFrom('inventory_movements')
      .selectAll()
      .where('order_id', '=', orderId)
      .orderBy('id')
      .execute();
    const onHand = new Map([
      [`${a}@${first}`, 2],
      [`${a}@${second}`, 6],
      [`${b}@${first}`, 6],
    ]);
    expect(
      movements.map((m) => [m.variant_id, m.location_id, m.delta, m.on_hand_after, m.reason, m.actor]),
    ).toEqual(
      holds.map((h) => {
        const key = `${h.variant_id}@${h.location_id}`;
        const after = (onHand.get(key) as number) - h.quantity;
        onHand.set(key, after);
        return [h.variant_id, h.location_id, -h.quantity, after, 'order_placed', 'tester'];
      }),
    );
    const placed = await eventsAfter(beforeCommit, [a, b]);
    expect(placed.map((e) => [e.type, e.data])).toEqual(
      lockOrder.map(([variantId, locationId]) => [
        'inventory.changed',
        {
          variant_id: variantId,
          location_id: locationId,
          on_hand: onHand.get(`${variantId}@${locationId}`),
          reserved: 0,
          available: onHand.get(`${variantId}@${locationId}`),
          allow_backorder: false,
          reason: 'order_placed',
        },
      ]),
    );
  });

  it('takes a fixed number of statements however many lines an order has', async () => {
    const channel = await server.newChannel();
    const at = await location(channel.id, 0);
    const variantIds = await createProduct(
      server,
      [channel.id],
      Array.from({ length: 5 }, () => ({ price: 1000 })),
    );
    for (const variantId of variantIds) await setLevel(variantId, at, 10);
    const cartId = unique('cart');
    const reserving = counting();
    await inTransaction(reserving.db, (tx) =>
      reserve(tx, {
        channelId: channel.id,
        cartId,
        lines: variantIds.map((variantId) => ({ variantId, quantity: 2 })),
      }),
    );
    // Lock, expire lapsed holds and read the cart's, read the channel's locations, insert the
    // holds, write the levels, insert the events.
    expect(reserving.sent()).toBe(6);
    const committing = counting();
    const committed = await inTransaction(committing.db, (tx) =>
      commitReservations(tx, { cartId, orderId: unique('ord') }),
    );
    expect(committed).toHaveLength(5);
    // Lock, settle the holds, insert the movements, write the levels, insert the events.
    expect(committing.sent()).toBe(5);
    const releasing = counting();
    expect(await inTransaction(releasing.db, (tx) => releaseReservations(tx, { cartId }))).toBe(0);
    expect(releasing.sent()).toBe(1);
  });

  it('does not count a lapsed hold of the holder itself: it is expired and held anew', async () => {
    const channel = await server.newChannel();
    const at = await location(channel.id, 0);
    const [variantId] = (await createProduct(server, [channel.id], [{ price: 1000 }])) as [string];
    await setLevel(variantId, at, 3);
    const cartId = unique('cart');
    const hold = () =>
      inTransaction(server.db, (tx) =>
        reserve(tx, { channelId: channel.id, cartId, lines: [{ variantId, quantity: 2 }], ttlSeconds: 900 }),
      );
    const { reservations: first } = await hold();
    await sql`UPDATE inventory_reservations SET expires_at = now() - interval '1 second' WHERE cart_id = ${cartId}`.execute(
      server.db,
    );
    const { reservations: again, expiresAt } = await hold();
    expect(again).toHaveLength(1);
    expect(again[0]?.id).not.toBe(first[0]?.id);
    expect(expiresAt?.getTime()).toBeGreaterThan(Date.now());
    const rows = await server.db
      .selectFrom('inventory_reservations')
      .select(['id', 'status', 'quantity'])
      .where('cart_id', '=', cartId)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { id: first[0]?.id, status: 'expired', quantity: 2 },
      { id: again[0]?.id, status: 'active', quantity: 2 },
    ]);
    const level = await server.db
      .selectFrom('inventory_levels')
      .select(['on_hand', 'reserved'])
      .where('variant_id', '=', variantId)
      .executeTakeFirstOrThrow();
    expect(level).toEqual({ on_hand: 3, reserved: 2 });
  });

  it('gives back the newest hold whole and shrinks the older one in one write', async () => {
    const channel = await server.newChannel();
    const at = await location(channel.id, 0);
    const [variantId] = (await createProduct(server, [channel.id], [{ price: 1000 }])) as [string];
    await setLevel(variantId, at, 10);
    const hold = (quantity: number) =>
      inTransaction(server.db, (tx) =>
        reserve(tx, { channelId: channel.id, cartId: 'cart_shrink', lines: [{ variantId, quantity }] }),
      );
    await hold(3);
    await hold(5);
    const { reservations } = await hold(2);
    expect(reservations.map((r) => r.quantity)).toEqual([2]);
    const rows = await server.db
      .selectFrom('inventory_reservations')
      .select(['quantity', 'status'])
      .where('cart_id', '=', 'cart_shrink')
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { quantity: 2, status: 'active' },
      { quantity: 2, status: 'released' },
    ]);
    expect(await inTransaction(server.db, (tx) => releaseReservations(tx, { cartId: 'cart_shrink' }))).toBe(
      2,
    );
    expect(await inTransaction(server.db, (tx) => releaseReservations(tx, { cartId: 'cart_shrink' }))).toBe(
      0,
    );
  });

  it('backorders the shortfall at the first location, creating its level, once the variant allows it', async () => {
    const channel = await server.newChannel();
    const first = await location(channel.id, 0);
    const second = await location(channel.id, 10);
    const [variantId] = (await createProduct(server, [channel.id], [{ price: 1000 }])) as [string];
    await setLevel(variantId, second, 1);
    const ask = () =>
      inTransaction(server.db, (tx) =>
        reserve(tx, { channelId: channel.id, cartId: unique('cart'), lines: [{ variantId, quantity: 3 }] }),
      );
    await expect(ask()).rejects.toMatchObject({ code: 'out_of_stock' });
    const allow = await server.admin('PATCH', `/admin/v1/inventory/variants/${variantId}`, {
      allow_backorder: true,
    });
    expect(allow.statusCode).toBe(200);
    const { reservations } = await ask();
    expect(reservations.map((r) => [r.location_id, r.quantity])).toEqual([
      [second, 1],
      [first, 2],
    ]);
    const levels = await server.db
      .selectFrom('inventory_levels')
      .select(['location_id', 'on_hand', 'reserved', 'allow_backorder'])
      .where('variant_id', '=', variantId)
      .orderBy('location_id')
      .execute();
    expect(levels).toEqual(
      [
        { location_id: first, on_hand: 0, reserved: 2, allow_backorder: true },
        { location_id: second, on_hand: 1, reserved: 1, allow_backorder: true },
      ].sort((x, y) => (x.location_id < y.location_id ? -1 : 1)),
    );
  });
});
