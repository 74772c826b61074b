import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import { createProduct, session, signedInCustomer, stock } from '../cart/test-support.js';
import { openSse, type ReceivedMessage } from './sse-client.js';

let server: TestServer;
let base: string;
let shop: { id: string; key: string };
let otherShop: { id: string; key: string };
let shirt: string;
let mug: string;
let warehouse: string;
beforeAll(async () => {
  // A 5 s fallback poll: the latency bound below can only hold if NOTIFY wakes the bus.
  server = await startTestServer({ sseHeartbeatMs: 60_000, eventPollMs: 5000 });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  shop = await server.newChannel();
  otherShop = await server.newChannel();
  [shirt, mug] = await createProduct(server, [shop.id], [{ price: 2500 }, { price: 1200 }]);
  warehouse = await stock(server, [shop.id], { [shirt]: 50, [mug]: 50 });
});
afterAll(() => server.close());

const newCart = async (lines: Array<{ variant_id: string; quantity: number }> = []) => {
  const response = await server.store(shop.key, 'POST', '/store/v1/carts', { lines });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
};
const streamUrl = (cartId: string, key = shop.key) => `${base}/store/v1/carts/${cartId}/stream?key=${key}`;
const payload = (message: ReceivedMessage) => JSON.parse(message.data);
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

describe('GET /store/v1/carts/{id}/stream', () => {
  it('pushes every one of 200 changes by a third client to two subscribers, in order, and measures latency', async () => {
    const cart = await newCart([{ variant_id: shirt, quantity: 1 }]);
    const lineId = cart.lines[0].id;
    const phone = await openSse(streamUrl(cart.id));
    const laptop = await openSse(streamUrl(cart.id));
    const [snapshot] = await phone.waitFor(1);
    expect(snapshot.event).toBe('cart.snapshot');
    expect(payload(snapshot).cart).toMatchObject({ id: cart.id, version: cart.version });
    await laptop.waitFor(1);

    const changes = 200;
    const sentAt: number[] = [];
    const committedAt: number[] = [];
    for (let i = 0; i < changes; i++) {
      sentAt.push(performance.now());
      const quantity = (i % 9) + 2;
      const changed = await server.store(shop.key, 'PATCH', `/store/v1/carts/${cart.id}/lines/${lineId}`, {
        quantity,
      });
      committedAt.push(performance.now());
      expect(changed.statusCode, changed.body).toBe(200);
    }
    const isChange = (message: ReceivedMessage) => message.event === 'cart.updated';
    const received = await Promise.all(
      [phone, laptop].map((client) => client.waitFor(changes, isChange, 30_000)),
    );
    // From the writer's 200 (the change committed) to the push arriving; and from the write request.
    const latencies: number[] = [];
    const endToEnd: number[] = [];
    const changeSeqs = (
      await server.db
        .selectFrom('events')
        .select('seq')
        .where('resource_id', '=', cart.id)
        .where('type', '=', 'cart.updated')
        .orderBy('seq')
        .execute()
    ).map((row) => String(row.seq));
    expect(changeSeqs).toHaveLength(changes);
    for (const messages of received) {
      // Every change, once, in commit order; each message carries the cart as it is now, so
      // versions never go backwards and the last one is the final state.
      expect(messages.map((message) => message.id)).toEqual(changeSeqs);
      const versions = messages.map((message) => payload(message).cart.version);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(payload(messages[changes - 1]).cart.lines[0].quantity).toBe(((changes - 1) % 9) + 2);
      messages.forEach((message, i) => {
        latencies.push(Math.max(0, message.receivedAt - committedAt[i]));
        endToEnd.push(message.receivedAt - sentAt[i]);
      });
    }
    const p99 = percentile(latencies, 99);
    console.info(
      `cart stream, ${changes} changes × 2 subscribers: commit→push p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
        `p99 ${p99.toFixed(1)} ms; request→push p50 ${percentile(endToEnd, 50).toFixed(1)} ms, p99 ${percentile(endToEnd, 99).toFixed(1)} ms`,
    );
    expect(p99).toBeLessThan(1000);
    phone.close();
    laptop.close();
  }, 180_000);

  it('resumes after Last-Event-ID with exactly the missed changes', async () => {
    const cart = await newCart([{ variant_id: shirt, quantity: 1 }]);
    const lineId = cart.lines[0].id;
    const first = await openSse(streamUrl(cart.id));
    await first.waitFor(1);
    await server.store(shop.key, 'PATCH', `/store/v1/carts/${cart.id}/lines/${lineId}`, { quantity: 2 });
    const [seen] = await first.waitFor(1, (m) => m.event === 'cart.updated');
    first.close();

    const missed = [];
    for (const quantity of [3, 4, 5]) {
      await server.store(shop.key, 'PATCH', `/store/v1/carts/${cart.id}/lines/${lineId}`, { quantity });
      missed.push(quantity);
    }
    const missedSeqs = (
      await server.db
        .selectFrom('events')
        .select('seq')
        .where('resource_id', '=', cart.id)
        .where('seq', '>', Number(seen.id))
        .orderBy('seq')
        .execute()
    ).map((row) => String(row.seq));
    expect(missedSeqs).toHaveLength(3);
    const resumed = await openSse(streamUrl(cart.id), { 'last-event-id': String(seen.id) });
    const replayed = await resumed.waitFor(3);
    expect(replayed.map((m) => m.id)).toEqual(missedSeqs);
    expect(replayed.every((m) => m.event === 'cart.updated')).toBe(true);
    await server.store(shop.key, 'POST', `/store/v1/carts/${cart.id}/lines`, {
      variant_id: mug,
      quantity: 1,
    });
    const all = await resumed.waitFor(4);
    expect(all.slice(0, 3).map((m) => m.id)).toEqual(missedSeqs);
    expect(payload(all[3]).cart.lines).toHaveLength(2);
    resumed.close();
  });

  it('tells the cart’s subscribers when a price changes or stock runs out for one of its lines', async () => {
    const cart = await newCart([{ variant_id: mug, quantity: 1 }]);
    const client = await openSse(streamUrl(cart.id));
    await client.waitFor(1);
    const prices = (await server.admin('GET', `/admin/v1/variants/${mug}/prices`)).json().data;
    const changed = await server.admin('PATCH', `/admin/v1/prices/${prices[0].id}`, { amount: 999 });
    expect(changed.statusCode, changed.body).toBe(200);
    const [priceMessage] = await client.waitFor(1, (m) => m.event === 'price.updated');
    expect(payload(priceMessage).notices).toContainEqual({
      type: 'price_changed',
      line_id: cart.lines[0].id,
      variant_id: mug,
      previous_unit_price: 1200,
      unit_price: 999,
    });
    const emptied = await server.admin('PUT', `/admin/v1/inventory/variants/${mug}/levels/${warehouse}`, {
      on_hand: 0,
      reason: 'correction',
    });
    expect(emptied.statusCode, emptied.body).toBe(200);
    const outOfStock = await client.waitFor(
      1,
      (m) =>
        m.event === 'inventory.changed' &&
        payload(m).notices.some((n: { type: string }) => n.type === 'out_of_stock'),
    );
    expect(payload(outOfStock[0]).cart.id).toBe(cart.id);
    client.close();
  });

  it('is authorised like GET cart: 404 for an unknown cart or another channel’s anonymous cart, 401 without a key', async () => {
    const cart = await newCart();
    const unknown = await openSse(streamUrl('cart_unknown'));
    expect(unknown.status).toBe(404);
    const foreign = await openSse(streamUrl(cart.id, otherShop.key));
    expect(foreign.status).toBe(404);
    const anonymous = await openSse(`${base}/store/v1/carts/${cart.id}/stream`);
    expect(anonymous.status).toBe(401);
    const badParam = await openSse(`${streamUrl(cart.id)}&bogus=1`);
    expect(badParam.status).toBe(400);
  });
});

describe('GET /store/v1/customers/me/stream', () => {
  it('pushes the signed-in customer’s cart events (session via ?customer_token=) and refuses anonymous callers', async () => {
    const shopper = await signedInCustomer(server, shop.key);
    const stream = await openSse(
      `${base}/store/v1/customers/me/stream?key=${shop.key}&customer_token=${shopper.token}`,
    );
    expect(stream.status).toBe(200);
    const created = await server.store(
      shop.key,
      'POST',
      '/store/v1/carts',
      { lines: [] },
      session(shopper.token),
    );
    expect(created.statusCode).toBe(201);
    const [message] = await stream.waitFor(1);
    expect(message.event).toBe('cart.created');
    expect(payload(message)).toMatchObject({ resource_id: created.json().id, customer_id: shopper.id });
    stream.close();
    const anonymous = await openSse(`${base}/store/v1/customers/me/stream?key=${shop.key}`);
    expect(anonymous.status).toBe(401);
    const forged = await openSse(
      `${base}/store/v1/customers/me/stream?key=${shop.key}&customer_token=cst_nope`,
    );
    expect(forged.status).toBe(401);
  });
});
