import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { inTransaction } from '../../db/transaction.js';
import { createProduct } from '../cart/test-support.js';
import { getAvailability } from './availability.js';
import {
  commitReservations,
  pruneSettledReservations,
  releaseReservations,
  reserve,
  sweepExpiredReservations,
} from './reservations.js';
import { restock } from './stock.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

/** A channel with one location holding `onHand` of a fresh variant. */
async function stocked(onHand: number, extra: { threshold?: number } = {}) {
  const channel = await server.newChannel();
  const location = await server.admin('POST', '/admin/v1/stock-locations', {
    name: unique('warehouse'),
    channel_ids: [channel.id],
  });
  expect(location.statusCode).toBe(201);
  const [variantId] = (await createProduct(server, [channel.id], [{ price: 1000 }])) as [string];
  const level = await server.admin(
    'PUT',
    `/admin/v1/inventory/variants/${variantId}/levels/${location.json().id}`,
    {
      on_hand: onHand,
      reason: 'received',
      ...(extra.threshold === undefined ? {} : { low_stock_threshold: extra.threshold }),
    },
  );
  expect(level.statusCode).toBe(200);
  return { channel, locationId: location.json().id as string, variantId };
}

const level = async (variantId: string) =>
  (await server.admin('GET', `/admin/v1/inventory/variants/${variantId}`)).json().levels[0];

async function availableIn(channelId: string, variantId: string) {
  return (await getAvailability(server.db, { channelId, variantIds: [variantId] })).get(variantId);
}

describe('stock locations and levels (admin)', () => {
  it('creates a location for a channel, sets, adjusts and records every movement', async () => {
    const { variantId, locationId } = await stocked(10);
    expect(await level(variantId)).toMatchObject({
      location_id: locationId,
      on_hand: 10,
      reserved: 0,
      available: 10,
    });

    const removed = await server.admin('POST', `/admin/v1/inventory/variants/${variantId}/adjustments`, {
      location_id: locationId,
      delta: -3,
      reason: 'damaged',
      note: 'forklift',
    });
    expect(removed.statusCode).toBe(201);
    expect(removed.json().levels[0].on_hand).toBe(7);

    const history = await server.admin('GET', `/admin/v1/inventory/movements?variant_id=${variantId}`);
    expect(history.json().data.map((m: { delta: number; reason: string }) => [m.delta, m.reason])).toEqual([
      [-3, 'damaged'],
      [10, 'received'],
    ]);
    expect(history.json().data[0]).toMatchObject({
      on_hand_after: 7,
      note: 'forklift',
      actor: expect.stringMatching(/^key_/),
    });
  });

  it('refuses removing more than on hand, zero or fractional deltas and unknown locations, changing nothing', async () => {
    const { variantId, locationId } = await stocked(2);
    const url = `/admin/v1/inventory/variants/${variantId}/adjustments`;
    const tooMany = await server.admin('POST', url, { location_id: locationId, delta: -3, reason: 'lost' });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().code).toBe('insufficient_stock');
    expect(
      (await server.admin('POST', url, { location_id: locationId, delta: 0, reason: 'lost' })).statusCode,
    ).toBe(400);
    expect(
      (await server.admin('POST', url, { location_id: locationId, delta: 1.5, reason: 'lost' })).statusCode,
    ).toBe(400);
    expect(
      (await server.admin('POST', url, { location_id: locationId, delta: 1, reason: 'order_placed' }))
        .statusCode,
    ).toBe(400);
    const unknown = await server.admin('POST', url, {
      location_id: 'sloc_nope',
      delta: 1,
      reason: 'received',
    });
    expect(unknown.statusCode).toBe(422);
    expect(
      (
        await server.admin('PUT', `/admin/v1/inventory/variants/${variantId}/levels/${locationId}`, {
          on_hand: -1,
        })
      ).statusCode,
    ).toBe(400);
    expect((await level(variantId)).on_hand).toBe(2);
  });

  it('answers 404 for a variant the catalog does not know', async () => {
    const { locationId } = await stocked(1);
    expect((await server.admin('GET', '/admin/v1/inventory/variants/var_unknown')).statusCode).toBe(404);
    const set = await server.admin('PUT', `/admin/v1/inventory/variants/var_unknown/levels/${locationId}`, {
      on_hand: 5,
    });
    expect(set.statusCode).toBe(404);
    const raw = await server.db
      .selectFrom('inventory_levels')
      .select('variant_id')
      .where('variant_id', '=', 'var_unknown')
      .execute();
    expect(raw).toEqual([]);
  });

  it('updates a location with If-Match and refuses deleting one that holds stock', async () => {
    const { locationId, channel } = await stocked(1);
    const stale = await server.admin(
      'PATCH',
      `/admin/v1/stock-locations/${locationId}`,
      { priority: 5 },
      { 'if-match': '9' },
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current.version).toBe(1);
    const moved = await server.admin(
      'PATCH',
      `/admin/v1/stock-locations/${locationId}`,
      { priority: 5 },
      { 'if-match': '1' },
    );
    expect(moved.json()).toMatchObject({ priority: 5, version: 2, channel_ids: [channel.id] });
    const busy = await server.admin('DELETE', `/admin/v1/stock-locations/${locationId}`);
    expect(busy.statusCode).toBe(409);
    expect(busy.json().code).toBe('location_not_empty');
    expect((await server.admin('GET', '/admin/v1/stock-locations/sloc_unknown')).statusCode).toBe(404);
  });

  it('stores the reservation point per channel', async () => {
    const channel = await server.newChannel();
    const url = `/admin/v1/inventory/channel-settings/${channel.id}`;
    expect((await server.admin('GET', url)).json()).toMatchObject({
      reservation_point: 'at_checkout',
      version: 0,
    });
    const set = await server.admin(
      'PUT',
      url,
      { reservation_point: 'at_add_to_cart', reservation_ttl_seconds: 600 },
      { 'if-match': '0' },
    );
    expect(set.json()).toMatchObject({
      reservation_point: 'at_add_to_cart',
      reservation_ttl_seconds: 600,
      version: 1,
    });
    expect(
      (await server.admin('PUT', url, { reservation_point: 'at_order' }, { 'if-match': '0' })).statusCode,
    ).toBe(409);
    expect((await server.admin('PUT', url, { reservation_point: 'sometime' })).statusCode).toBe(400);
    expect(
      (
        await server.admin('PUT', '/admin/v1/inventory/channel-settings/chan_nope', {
          reservation_point: 'at_order',
        })
      ).statusCode,
    ).toBe(404);
  });
});

describe('reservations', () => {
  it('never reserves beyond stock under concurrent calls: 10 on hand, 50 carts of 1', async () => {
    const { channel, variantId } = await stocked(10);
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        inTransaction(server.db, (tx) =>
          reserve(tx, {
            channelId: channel.id,
            cartId: `cart_c${i}`,
            lines: [{ variantId, quantity: 1 }],
            ttlSeconds: 900,
          }),
        ),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r) => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const failure of refused) {
      expect((failure as PromiseRejectedResult).reason).toMatchObject({ status: 409, code: 'out_of_stock' });
    }
    expect(await level(variantId)).toMatchObject({ on_hand: 10, reserved: 10, available: 0 });
    expect(await availableIn(channel.id, variantId)).toMatchObject({ available: 0, inStock: false });
  });

  it('is all or nothing and names every short variant', async () => {
    const a = await stocked(5);
    const [b] = (await createProduct(server, [a.channel.id], [{ price: 1000 }])) as [string];
    await server.admin('PUT', `/admin/v1/inventory/variants/${b}/levels/${a.locationId}`, { on_hand: 1 });
    const attempt = inTransaction(server.db, (tx) =>
      reserve(tx, {
        channelId: a.channel.id,
        cartId: 'cart_all_or_nothing',
        lines: [
          { variantId: a.variantId, quantity: 2 },
          { variantId: b, quantity: 3 },
        ],
      }),
    );
    await expect(attempt).rejects.toMatchObject({
      status: 409,
      code: 'out_of_stock',
      extra: { variants: [{ variant_id: b, requested: 3, available: 1 }] },
    });
    expect((await level(a.variantId)).reserved).toBe(0);
  });

  it('holds exactly the requested lines when called again (idempotent, shrinks and grows)', async () => {
    const { channel, variantId } = await stocked(5);
    const hold = (quantity: number) =>
      inTransaction(server.db, (tx) =>
        reserve(tx, { channelId: channel.id, cartId: 'cart_idem', lines: [{ variantId, quantity }] }),
      );
    await hold(3);
    await hold(3);
    expect((await level(variantId)).reserved).toBe(3);
    await hold(1);
    expect((await level(variantId)).reserved).toBe(1);
    await hold(5);
    expect((await level(variantId)).reserved).toBe(5);
    await inTransaction(server.db, (tx) => releaseReservations(tx, { cartId: 'cart_idem' }));
    expect((await level(variantId)).reserved).toBe(0);
  });

  it('does not sell stock from a location that does not serve the channel', async () => {
    const { variantId } = await stocked(5);
    const other = await server.newChannel();
    expect(await availableIn(other.id, variantId)).toMatchObject({
      tracked: true,
      available: 0,
      inStock: false,
    });
    await expect(
      inTransaction(server.db, (tx) =>
        reserve(tx, { channelId: other.id, cartId: 'cart_elsewhere', lines: [{ variantId, quantity: 1 }] }),
      ),
    ).rejects.toMatchObject({ code: 'out_of_stock' });
  });

  it('draws from locations by priority and splits across them', async () => {
    const { channel, variantId, locationId } = await stocked(2);
    const second = await server.admin('POST', '/admin/v1/stock-locations', {
      name: unique('store'),
      priority: 10,
      channel_ids: [channel.id],
    });
    await server.admin('PUT', `/admin/v1/inventory/variants/${variantId}/levels/${second.json().id}`, {
      on_hand: 3,
    });
    const { reservations } = await inTransaction(server.db, (tx) =>
      reserve(tx, { channelId: channel.id, cartId: 'cart_split', lines: [{ variantId, quantity: 4 }] }),
    );
    expect(reservations.map((r) => [r.location_id, r.quantity])).toEqual([
      [locationId, 2],
      [second.json().id, 2],
    ]);
  });

  it('releases holds whose TTL passed: lazily on read and write, and by the sweeper', async () => {
    const { channel, variantId } = await stocked(1);
    await inTransaction(server.db, (tx) =>
      reserve(tx, {
        channelId: channel.id,
        cartId: 'cart_old',
        lines: [{ variantId, quantity: 1 }],
        ttlSeconds: 900,
      }),
    );
    expect((await availableIn(channel.id, variantId))?.available).toBe(0);
    await sql`UPDATE inventory_reservations SET expires_at = now() - interval '1 second' WHERE cart_id = 'cart_old'`.execute(
      server.db,
    );
    // Reads count a lapsed hold as released before anyone writes.
    expect((await availableIn(channel.id, variantId))?.available).toBe(1);
    // A new shopper gets the unit; the old hold is marked expired under the lock.
    await inTransaction(server.db, (tx) =>
      reserve(tx, {
        channelId: channel.id,
        cartId: 'cart_new',
        lines: [{ variantId, quantity: 1 }],
        ttlSeconds: 900,
      }),
    );
    const statuses = await server.db
      .selectFrom('inventory_reservations')
      .select(['cart_id', 'status'])
      .where('variant_id', '=', variantId)
      .orderBy('id')
      .execute();
    expect(statuses).toEqual([
      { cart_id: 'cart_old', status: 'expired' },
      { cart_id: 'cart_new', status: 'active' },
    ]);
    expect(await level(variantId)).toMatchObject({ reserved: 1, available: 0 });

    await sql`UPDATE inventory_reservations SET expires_at = now() - interval '1 second' WHERE cart_id = 'cart_new'`.execute(
      server.db,
    );
    expect(await sweepExpiredReservations(server.db)).toBeGreaterThanOrEqual(1);
    const raw = await server.db
      .selectFrom('inventory_levels')
      .select('reserved')
      .where('variant_id', '=', variantId)
      .executeTakeFirstOrThrow();
    expect(raw.reserved).toBe(0);
  });

  it('prunes released and expired holds after the retention period, never active or committed ones', async () => {
    const { channel, variantId } = await stocked(10);
    const hold = (cartId: string, quantity: number) =>
      inTransaction(server.db, (tx) =>
        reserve(tx, { channelId: channel.id, cartId, lines: [{ variantId, quantity }] }),
      );
    await hold('cart_prune_released', 2);
    await inTransaction(server.db, (tx) => releaseReservations(tx, { cartId: 'cart_prune_released' }));
    await hold('cart_prune_active', 1);
    await inTransaction(server.db, async (tx) => {
      await reserve(tx, {
        channelId: channel.id,
        cartId: 'cart_prune_sold',
        lines: [{ variantId, quantity: 1 }],
      });
      await commitReservations(tx, { cartId: 'cart_prune_sold', orderId: 'ord_prune' });
    });
    const statusOf = async () =>
      (
        await server.db
          .selectFrom('inventory_reservations')
          .select(['cart_id', 'status'])
          .where('variant_id', '=', variantId)
          .orderBy('cart_id')
          .execute()
      ).map((row) => `${row.cart_id}:${row.status}`);
    expect(await statusOf()).toEqual([
      'cart_prune_active:active',
      'cart_prune_released:released',
      'cart_prune_sold:committed',
    ]);
    // Settled yesterday: inside a 30-day retention, so kept.
    await sql`UPDATE inventory_reservations SET updated_at = now() - interval '1 day' WHERE variant_id = ${variantId}`.execute(
      server.db,
    );
    await pruneSettledReservations(server.db, 30);
    expect(await statusOf()).toHaveLength(3);
    await sql`UPDATE inventory_reservations SET updated_at = now() - interval '31 days' WHERE variant_id = ${variantId}`.execute(
      server.db,
    );
    expect(await pruneSettledReservations(server.db, 30)).toBeGreaterThanOrEqual(1);
    expect(await statusOf()).toEqual(['cart_prune_active:active', 'cart_prune_sold:committed']);
    expect(await level(variantId)).toMatchObject({ on_hand: 9, reserved: 1 });
  });

  it('commits holds into shipped stock at order placement and restocks returns to the same location', async () => {
    const { channel, variantId, locationId } = await stocked(4);
    await inTransaction(server.db, async (tx) => {
      await reserve(tx, { channelId: channel.id, cartId: 'cart_buy', lines: [{ variantId, quantity: 3 }] });
      const committed = await commitReservations(tx, { cartId: 'cart_buy', orderId: 'ord_test1' });
      expect(committed).toEqual([{ variantId, locationId, quantity: 3 }]);
    });
    expect(await level(variantId)).toMatchObject({ on_hand: 1, reserved: 0, available: 1 });
    await inTransaction(server.db, (tx) =>
      restock(tx, { orderId: 'ord_test1', lines: [{ variantId, quantity: 2 }] }),
    );
    expect(await level(variantId)).toMatchObject({ on_hand: 3, location_id: locationId });
    const reasons = (
      await server.admin('GET', `/admin/v1/inventory/movements?variant_id=${variantId}`)
    ).json().data;
    expect(reasons.map((m: { reason: string; order_id: string | null }) => [m.reason, m.order_id])).toEqual([
      ['returned', 'ord_test1'],
      ['order_placed', 'ord_test1'],
      ['received', null],
    ]);
  });

  it('sells beyond stock only with backorder, and refuses turning it off while owing', async () => {
    const { channel, variantId } = await stocked(1);
    const allow = await server.admin('PATCH', `/admin/v1/inventory/variants/${variantId}`, {
      allow_backorder: true,
    });
    expect(allow.json().allow_backorder).toBe(true);
    await inTransaction(server.db, async (tx) => {
      await reserve(tx, { channelId: channel.id, orderId: 'ord_back', lines: [{ variantId, quantity: 3 }] });
      await commitReservations(tx, { orderId: 'ord_back' });
    });
    expect((await level(variantId)).on_hand).toBe(-2);
    const off = await server.admin('PATCH', `/admin/v1/inventory/variants/${variantId}`, {
      allow_backorder: false,
    });
    expect(off.statusCode).toBe(409);
    expect(off.json().code).toBe('backorders_outstanding');
  });

  it('refuses setting on hand below what is held', async () => {
    const { channel, variantId, locationId } = await stocked(3);
    await inTransaction(server.db, (tx) =>
      reserve(tx, { channelId: channel.id, cartId: 'cart_held', lines: [{ variantId, quantity: 2 }] }),
    );
    const below = await server.admin(
      'PUT',
      `/admin/v1/inventory/variants/${variantId}/levels/${locationId}`,
      { on_hand: 1 },
    );
    expect(below.statusCode).toBe(409);
    expect(below.json()).toMatchObject({ code: 'below_reserved', reserved: 2 });
  });

  it('emits inventory.changed on every change and inventory.low when crossing the threshold', async () => {
    const { channel, variantId } = await stocked(5, { threshold: 2 });
    await inTransaction(server.db, (tx) =>
      reserve(tx, { channelId: channel.id, cartId: 'cart_low', lines: [{ variantId, quantity: 3 }] }),
    );
    const events = await server.db
      .selectFrom('events')
      .select(['type', 'data'])
      .where('resource_id', '=', variantId)
      .orderBy('seq')
      .execute();
    expect(events.map((e) => e.type)).toEqual(['inventory.changed', 'inventory.changed', 'inventory.low']);
    expect(events[2]?.data).toMatchObject({ available: 2, low_stock_threshold: 2, reason: 'reserved' });
  });
});

describe('store availability', () => {
  it('reports stock for the key’s channel only, and unlimited for untracked variants', async () => {
    const { channel, variantId } = await stocked(4);
    const untracked = unique('var');
    const response = await server.store(
      channel.key,
      'GET',
      `/store/v1/availability?variant_ids=${variantId},${untracked}`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.json().data).toEqual([
      { variant_id: variantId, tracked: true, available: 4, allow_backorder: false, in_stock: true },
      { variant_id: untracked, tracked: false, available: null, allow_backorder: false, in_stock: true },
    ]);
    expect(
      (await server.store(channel.key, 'GET', '/store/v1/availability?variant_ids=a;b')).statusCode,
    ).toBe(400);
  });
});
