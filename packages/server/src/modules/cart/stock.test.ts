import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { inTransaction } from '../../db/transaction.js';
import { sweepExpiredReservations } from '../inventory/reservations.js';
import { priceCart } from './pricing.js';
import { markCartCompleted } from './service.js';
import { createProduct, reserveAtAddToCart, stock } from './test-support.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function shopWithStock(onHand: number) {
  const channel = await server.newChannel();
  const [variant] = await createProduct(server, [channel.id], [{ price: 1000 }]);
  await stock(server, [channel.id], { [variant as string]: onHand });
  await reserveAtAddToCart(server, channel.id);
  return { channel, variant: variant as string };
}

const levelOf = async (variant: string) =>
  (await server.admin('GET', `/admin/v1/inventory/variants/${variant}`)).json().levels[0];

describe('stock held at add-to-cart', () => {
  it('never holds more than on hand: 10 units, 50 concurrent carts adding 1 → exactly 10 succeed', async () => {
    const { channel, variant } = await shopWithStock(10);
    const carts = await Promise.all(
      Array.from(
        { length: 50 },
        async () => (await server.store(channel.key, 'POST', '/store/v1/carts', {})).json().id as string,
      ),
    );
    const responses = await Promise.all(
      carts.map((id) =>
        server.store(channel.key, 'POST', `/store/v1/carts/${id}/lines`, {
          variant_id: variant,
          quantity: 1,
        }),
      ),
    );
    const ok = responses.filter((r) => r.statusCode === 200);
    const refused = responses.filter((r) => r.statusCode === 409);
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const response of refused) {
      expect(response.json()).toMatchObject({
        code: 'out_of_stock',
        variants: [{ variant_id: variant, requested: 1, available: 0 }],
      });
    }
    expect(await levelOf(variant)).toMatchObject({ on_hand: 10, reserved: 10, available: 0 });
    // Refused carts are unchanged.
    const lines = await server.db
      .selectFrom('cart_lines')
      .select('cart_id')
      .where('variant_id', '=', variant)
      .execute();
    expect(lines).toHaveLength(10);
    const raw = await server.db
      .selectFrom('inventory_levels')
      .selectAll()
      .where('variant_id', '=', variant)
      .executeTakeFirstOrThrow();
    expect(raw.reserved).toBeLessThanOrEqual(raw.on_hand);
  });

  it('tells the cart when its hold lapses, gives lapsed stock to the next shopper and releases on line removal', async () => {
    const { channel, variant } = await shopWithStock(1);
    const first = (
      await server.store(channel.key, 'POST', '/store/v1/carts', {
        lines: [{ variant_id: variant, quantity: 1 }],
      })
    ).json();
    expect(first.reservation_expires_at).not.toBeNull();
    expect(first.lines[0].stock).toEqual({ tracked: true, available: 0, in_stock: false });
    const second = (await server.store(channel.key, 'POST', '/store/v1/carts', {})).json();
    const blocked = await server.store(channel.key, 'POST', `/store/v1/carts/${second.id}/lines`, {
      variant_id: variant,
      quantity: 1,
    });
    expect(blocked.statusCode).toBe(409);

    // The first shopper walks away; their hold's time runs out.
    await sql`UPDATE inventory_reservations SET expires_at = now() - interval '1 second' WHERE cart_id = ${first.id}`.execute(
      server.db,
    );
    const taken = await server.store(channel.key, 'POST', `/store/v1/carts/${second.id}/lines`, {
      variant_id: variant,
      quantity: 1,
    });
    expect(taken.statusCode, taken.body).toBe(200);
    expect(
      (await server.store(channel.key, 'GET', `/store/v1/carts/${first.id}`)).json().reservation_expires_at,
    ).toBeNull();
    expect(await levelOf(variant)).toMatchObject({ reserved: 1, available: 0 });

    const removed = await server.store(
      channel.key,
      'DELETE',
      `/store/v1/carts/${second.id}/lines/${taken.json().lines[0].id}`,
    );
    expect(removed.statusCode).toBe(200);
    expect(await levelOf(variant)).toMatchObject({ reserved: 0, available: 1 });
  });

  it('refreshes the hold on cart activity', async () => {
    const { channel, variant } = await shopWithStock(3);
    const cart = (
      await server.store(channel.key, 'POST', '/store/v1/carts', {
        lines: [{ variant_id: variant, quantity: 1 }],
      })
    ).json();
    await sql`UPDATE inventory_reservations SET expires_at = now() + interval '5 seconds' WHERE cart_id = ${cart.id}`.execute(
      server.db,
    );
    const touched = (
      await server.store(channel.key, 'PATCH', `/store/v1/carts/${cart.id}`, { email: 'me@example.com' })
    ).json();
    expect(new Date(touched.reservation_expires_at).getTime() - Date.now()).toBeGreaterThan(800_000);
  });

  it('the sweeper returns lapsed holds of abandoned carts', async () => {
    const { channel, variant } = await shopWithStock(2);
    const cart = (
      await server.store(channel.key, 'POST', '/store/v1/carts', {
        lines: [{ variant_id: variant, quantity: 2 }],
      })
    ).json();
    await sql`UPDATE inventory_reservations SET expires_at = now() - interval '1 second' WHERE cart_id = ${cart.id}`.execute(
      server.db,
    );
    await sweepExpiredReservations(server.db);
    const raw = await server.db
      .selectFrom('inventory_levels')
      .select(['reserved'])
      .where('variant_id', '=', variant)
      .executeTakeFirstOrThrow();
    expect(raw.reserved).toBe(0);
  });

  it('holds nothing when the channel reserves at checkout', async () => {
    const channel = await server.newChannel();
    const [variant] = await createProduct(server, [channel.id], [{ price: 1000 }]);
    await stock(server, [channel.id], { [variant as string]: 1 });
    const cart = (
      await server.store(channel.key, 'POST', '/store/v1/carts', {
        lines: [{ variant_id: variant, quantity: 1 }],
      })
    ).json();
    expect(cart.reservation_expires_at).toBeNull();
    expect(await levelOf(variant as string)).toMatchObject({ reserved: 0, available: 1 });
  });

  it('completes a cart for checkout: no further writes, cart.completed carries the final cart', async () => {
    const { channel, variant } = await shopWithStock(5);
    const cart = (
      await server.store(channel.key, 'POST', '/store/v1/carts', {
        lines: [{ variant_id: variant, quantity: 1 }],
      })
    ).json();
    const completed = await inTransaction(server.db, (tx) => markCartCompleted(tx, cart.id, 'ord_test'));
    expect(completed).toMatchObject({ status: 'completed', order_id: 'ord_test', version: 2 });
    const write = await server.store(channel.key, 'POST', `/store/v1/carts/${cart.id}/lines`, {
      variant_id: variant,
      quantity: 1,
    });
    expect(write.statusCode).toBe(409);
    expect(write.json()).toMatchObject({ code: 'cart_not_active', cart_status: 'completed' });
    const event = await server.db
      .selectFrom('events')
      .select('data')
      .where('resource_id', '=', cart.id)
      .where('type', '=', 'cart.completed')
      .executeTakeFirstOrThrow();
    expect(event.data).toMatchObject({ status: 'completed', totals: { total: 1000 } });
  });

  it('every cart event carries exactly the cart a read returns afterwards (written in one statement)', async () => {
    const { channel, variant } = await shopWithStock(5);
    const created = (
      await server.store(channel.key, 'POST', '/store/v1/carts', {
        lines: [{ variant_id: variant, quantity: 1 }],
      })
    ).json();
    const latestEvent = async () =>
      (
        await server.db
          .selectFrom('events')
          .select('data')
          .where('resource_id', '=', created.id)
          .orderBy('seq', 'desc')
          .executeTakeFirstOrThrow()
      ).data;
    const read = async () => (await server.store(channel.key, 'GET', `/store/v1/carts/${created.id}`)).json();
    expect(await latestEvent()).toEqual(await read());
    const patched = await server.store(channel.key, 'PATCH', `/store/v1/carts/${created.id}`, {
      email: 'ada@example.com',
      shipping_address: { line1: '1 Main St', city: 'Paris', country: 'FR' },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(await latestEvent()).toEqual(await read());
    expect(await read()).toEqual(patched.json());
    await server.store(channel.key, 'POST', `/store/v1/carts/${created.id}/lines`, {
      variant_id: variant,
      quantity: 1,
    });
    expect(await latestEvent()).toEqual(await read());
  });

  it('cart.completed re-uses checkout’s pricing only when no write came in between', async () => {
    const { channel, variant } = await shopWithStock(5);
    const completedEvent = async (cartId: string) =>
      (
        await server.db
          .selectFrom('events')
          .select('data')
          .where('resource_id', '=', cartId)
          .where('type', '=', 'cart.completed')
          .executeTakeFirstOrThrow()
      ).data as { lines: unknown[]; totals: { total: number }; version: number };
    const newCart = async () =>
      (
        await server.store(channel.key, 'POST', '/store/v1/carts', {
          lines: [{ variant_id: variant, quantity: 1 }],
        })
      ).json();

    const quiet = await newCart();
    const pricedQuiet = await priceCart(server.db, quiet.id);
    await inTransaction(server.db, (tx) => markCartCompleted(tx, quiet.id, 'ord_quiet', pricedQuiet));
    const read = (await server.store(channel.key, 'GET', `/store/v1/carts/${quiet.id}`)).json();
    expect(await completedEvent(quiet.id)).toMatchObject({
      version: read.version,
      lines: read.lines.map((line: { id: string; quantity: number }) => ({
        id: line.id,
        quantity: line.quantity,
      })),
      totals: read.totals,
    });

    const busy = await newCart();
    const pricedBusy = await priceCart(server.db, busy.id);
    const added = await server.store(channel.key, 'POST', `/store/v1/carts/${busy.id}/lines`, {
      variant_id: variant,
      quantity: 2,
    });
    expect(added.statusCode, added.body).toBe(200);
    await inTransaction(server.db, (tx) => markCartCompleted(tx, busy.id, 'ord_busy', pricedBusy));
    const event = await completedEvent(busy.id);
    expect(event.lines).toEqual([expect.objectContaining({ quantity: 3 })]);
    expect(event.totals.total).toBe(3000);
  });
});
