import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CartChange, createStoreClient, type MerxError } from '../src/index.js';
import { createStockedProduct, type LiveServer, startLiveServer } from './server.js';

let live: LiveServer;
let channel: { id: string; key: string };
let variants: string[];
beforeAll(async () => {
  live = await startLiveServer();
  channel = await live.server.newChannel();
  variants = (await createStockedProduct(live, channel.id, [500, 700, 900])).variantIds;
});
afterAll(() => live.close());

const client = (fetch?: (request: Request) => Promise<Response>) =>
  createStoreClient({ baseUrl: live.baseUrl, publishableKey: channel.key, fetch });

async function until<T>(read: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() - started > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const addLine = (cartId: string, variantId: string, quantity = 1) =>
  client().post('/store/v1/carts/{id}/lines', {
    params: { path: { id: cartId } },
    body: { variant_id: variantId, quantity },
  });

describe('subscribeToCart', () => {
  it('sends the current cart at once, then every change made by another client', async () => {
    const phone = client();
    const cart = await phone.post('/store/v1/carts', { body: {} });
    const changes: CartChange[] = [];
    const stop = phone.subscribeToCart(cart.id, (change) => changes.push(change));
    try {
      const snapshot = await until(() => changes[0]);
      expect(snapshot).toMatchObject({ type: 'cart.snapshot', event: null, notices: [] });
      expect(snapshot.cart.id).toBe(cart.id);

      await addLine(cart.id, variants[0], 2);
      const update = await until(() => changes.find((change) => change.cart.lines.length === 1));
      expect(update.type).toBe('cart.updated');
      expect(update.event?.resource_id).toBe(cart.id);
      expect(update.cart.lines[0]).toMatchObject({ variant_id: variants[0], quantity: 2 });
    } finally {
      stop();
    }
    const seen = changes.length;
    await addLine(cart.id, variants[1]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(changes).toHaveLength(seen);
  });

  it('after a dropped connection, reconnects with Last-Event-ID and receives exactly what it missed', async () => {
    const cart = await client().post('/store/v1/carts', { body: {} });
    const streamRequests: Request[] = [];
    const cuts: Array<() => void> = [];
    // Passes the stream through, keeping a way to cut it like a flaky mobile network would.
    const cuttable = async (request: Request) => {
      streamRequests.push(request);
      const response = await globalThis.fetch(request);
      const reader = response.body!.getReader();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          cuts.push(() => {
            controller.error(new TypeError('network connection lost'));
            reader.cancel().catch(() => {});
          });
        },
        async pull(controller) {
          const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
          if (done) controller.close();
          else controller.enqueue(value);
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    };
    const changes: CartChange[] = [];
    const stop = client(cuttable).subscribeToCart(cart.id, (change) => changes.push(change));
    try {
      await until(() => changes[0]);
      await addLine(cart.id, variants[0]);
      await until(() => changes.find((change) => change.cart.lines.length === 1));
      const lastBeforeCut = changes.at(-1)!.event!.id;

      cuts[0]();
      await addLine(cart.id, variants[1]);
      await addLine(cart.id, variants[2]);
      // What was missed, from the outbox: the two cart events after the last one received.
      const outbox = await live.server.db
        .selectFrom('events')
        .select(['id', 'seq'])
        .where('resource_id', '=', cart.id)
        .orderBy('seq')
        .execute();
      const missed = outbox
        .slice(outbox.findIndex((row) => row.id === lastBeforeCut) + 1)
        .map((row) => row.id);
      expect(missed).toHaveLength(2);
      const afterCut = () =>
        changes.slice(changes.findIndex((change) => change.event?.id === lastBeforeCut) + 1);
      await until(() => (afterCut().length >= 2 ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(streamRequests).toHaveLength(2);
      expect(streamRequests[0].headers.get('last-event-id')).toBeNull();
      expect(streamRequests[1].headers.get('last-event-id')).toMatch(/^\d+$/);
      // Exactly the missed events, in order, no snapshot and no duplicate; each carries the cart
      // as it is now (the stream pushes the current cart), so the last shows all three lines.
      expect(afterCut().map((change) => [change.type, change.event?.id])).toEqual(
        missed.map((id) => ['cart.updated', id]),
      );
      expect(afterCut().at(-1)?.cart.lines).toHaveLength(3);
    } finally {
      stop();
    }
  });

  it('reports a refused stream (unknown or foreign cart) once and does not reconnect', async () => {
    let requests = 0;
    const counting = async (request: Request) => {
      requests++;
      return globalThis.fetch(request);
    };
    const errors: MerxError[] = [];
    const stop = client(counting).subscribeToCart('cart_00000000000000000000000000', () => {}, {
      onError: (error) => errors.push(error),
    });
    await until(() => errors[0]);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    stop();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ status: 404, code: 'not_found' });
    expect(requests).toBe(1);
  });

  it('follows a signed-in customer’s cart across devices through the customer stream', async () => {
    const email = `sse-${Date.now()}@example.com`;
    const laptop = client();
    await laptop.register({ email, password: 'correct horse battery' });
    await laptop.login(email, 'correct horse battery');
    const events: string[] = [];
    const stop = laptop.subscribeToCustomer((event) => events.push(event.type));
    try {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const phone = client();
      await phone.login(email, 'correct horse battery');
      const cart = await phone.post('/store/v1/carts', { body: {} });
      await phone.post('/store/v1/carts/{id}/lines', {
        params: { path: { id: cart.id } },
        body: { variant_id: variants[0], quantity: 1 },
      });
      await until(() => (events.includes('cart.updated') ? true : undefined));
      expect(events).toContain('cart.created');
    } finally {
      stop();
    }
  });
});
