import type { AddressInfo } from 'node:net';
import { createAdminClient, createStoreClient, type StoreClient } from '@merx/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCatalog } from '../../../packages/server/src/demo/seed.js';
import { startTestServer, type TestServer } from '../../../packages/server/test/harness.js';
import { type Conversation, createConversation, handleUtterance } from '../src/conversation.js';

let server: TestServer;
let url: string;
let keys: { web: string; voice: string; chat: string };

beforeAll(async () => {
  server = await startTestServer();
  const seeded = await seedDemoCatalog(server.db, { products: 60 });
  const keyOf = (kind: string) => seeded.channels.find((channel) => channel.kind === kind)!.publishableKey;
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  url = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
  keys = { web: keyOf('web'), voice: keyOf('voice'), chat: await chatChannel(seeded.channels) };
});

/**
 * A chat channel selling what the demo Voice channel sells, with the compact head profile:
 * every variant, short texts. (The demo Voice channel is `speakable`, which offers a voice head
 * at most three variants of a product, too few to pick "size 42" from seven sizes in two colours.)
 */
async function chatChannel(channels: Array<{ id: string; kind: string }>): Promise<string> {
  const admin = createAdminClient({ baseUrl: url, secretKey: server.adminKey });
  const chat = await admin.post('/admin/v1/channels', {
    body: {
      name: 'Chat',
      kind: 'social',
      default_currency: 'EUR',
      currencies: ['EUR'],
      head_profile: 'compact',
    },
  });
  const voiceId = channels.find((channel) => channel.kind === 'voice')!.id;
  const assortment = await admin.get('/admin/v1/channels/{id}/products', {
    params: { path: { id: voiceId }, query: { limit: 100 } },
  });
  await admin.put('/admin/v1/channels/{id}/products', {
    params: { path: { id: chat.id } },
    body: { add: assortment.data },
  });
  const locations = await admin.get('/admin/v1/stock-locations', { params: { query: { limit: 10 } } });
  for (const location of locations.data)
    await admin.patch('/admin/v1/stock-locations/{id}', {
      params: { path: { id: location.id } },
      body: { channel_ids: [...location.channel_ids, chat.id] },
    });
  const key = await admin.post('/admin/v1/keys', {
    body: { kind: 'publishable', name: 'Chat', channel_id: chat.id },
  });
  return key.token!;
}
afterAll(() => server.close());

const converse = (channel: 'voice' | 'chat' = 'chat') =>
  createConversation({ baseUrl: url, publishableKey: keys[channel] });

async function webShopperWithCart(): Promise<{
  web: StoreClient;
  email: string;
  password: string;
  cartId: string;
}> {
  const web = createStoreClient({ baseUrl: url, publishableKey: keys.web });
  const email = `ada.${Date.now()}@example.com`;
  const password = 'correct horse battery';
  await web.register({ email, password, first_name: 'Ada' });
  await web.login(email, password);
  // Something both channels sell: a cart follows its customer, but each channel sells its own assortment.
  const chat = createStoreClient({ baseUrl: url, publishableKey: keys.chat });
  const tee = await chat.get('/store/v1/search', {
    params: { query: { q: 't-shirt', in_stock: true, limit: 1, facets: false } },
  });
  const product = await web.get('/store/v1/products/{idOrHandle}', {
    params: { path: { idOrHandle: tee.data[0].id } },
  });
  const inStock = product.variants.find((variant) => (variant.availability?.available ?? 1) > 0)!;
  const cart = await web.post('/store/v1/carts', {
    body: { lines: [{ variant_id: inStock.id, quantity: 1 }] },
  });
  return { web, email, password, cartId: cart.id };
}

describe('chat head against a real server', () => {
  it('finds running shoes under 100, adds the second one in size 42, and reads the cart', async () => {
    const chat: Conversation = converse();
    const found = await handleUtterance(chat, 'find running shoes under 100');
    expect(found).toMatch(/^Here are running shoes under €100/);
    expect(chat.results.length).toBeGreaterThan(1);
    for (const hit of chat.results) expect(hit.price_range!.min).toBeLessThan(10_000);
    expect(found).toContain(`2. ${chat.results[1].title}`);

    const added = await handleUtterance(chat, 'add the second one in size 42');
    expect(added).toBe(
      `Added ${chat.results[1].title}, size 42. Your cart has 1 item, ${added.match(/€[\d.,]+ in total/)![0]}.`,
    );
    const cart = await chat.store.get('/store/v1/carts/{id}', { params: { path: { id: chat.cartId! } } });
    expect(cart.lines).toHaveLength(1);
    expect(cart.lines[0].product_id).toBe(chat.results[1].id);
    expect(cart.lines[0].variant_title).toMatch(/\b42\b/);

    const read = await handleUtterance(chat, "what's in my cart?");
    expect(read).toContain(`Your cart has 1 item: 1. ${chat.results[1].title}`);
    expect(await handleUtterance(chat, 'add the ninth one')).toBe('There is no ninth result.');
    expect(await handleUtterance(chat, 'add the first one in size 99')).toMatch(
      /^I can't offer the .+ in size 99 here/,
    );
  });

  it('signing in continues the very cart the web storefront holds, and checks it out', async () => {
    const shopper = await webShopperWithCart();
    const chat = converse();
    await handleUtterance(chat, 'find running shoes under 100');
    await handleUtterance(chat, 'add the second one in size 42'); // a guest cart on the voice channel

    const welcome = await handleUtterance(chat, `sign in as ${shopper.email} ${shopper.password}`);
    expect(welcome).toMatch(/^Welcome back, Ada\. Your cart has 2 items/);
    expect(chat.cartId).toBe(shopper.cartId);

    // The web storefront sees the shoes the voice channel added, in the same cart.
    const webCart = await shopper.web.get('/store/v1/carts/current');
    expect(webCart.id).toBe(shopper.cartId);
    expect(webCart.lines.map((line) => line.product_id)).toContain(chat.results[1].id);

    const done = await handleUtterance(chat, 'check out');
    expect(done).toMatch(
      new RegExp(
        `^Order number \\d+ is placed: €[\\d.,]+ with the card on file\\. A receipt goes to ${shopper.email.replace(/\./g, '\\.')}\\.$`,
      ),
    );
    const orders = await shopper.web.get('/store/v1/customers/me/orders', {
      params: { query: { limit: 5 } },
    });
    expect(orders.data[0]).toMatchObject({ status: 'paid' });
    expect(await handleUtterance(chat, "what's in my cart")).toBe('Your cart is empty.');
  });

  it('a guest checkout asks for an email first, and a wrong password is said, not thrown', async () => {
    const chat = converse();
    expect(await handleUtterance(chat, 'check out')).toBe('Your cart is empty: add something first.');
    await handleUtterance(chat, 'find running shoes under 100');
    await handleUtterance(chat, 'add the first one in size 42');
    expect(await handleUtterance(chat, 'check out')).toBe(
      'Where should the receipt go? Say "my email is …".',
    );
    expect(await handleUtterance(chat, 'my email is guest@example.com')).toMatch(
      /^Order number \d+ is placed/,
    );
    expect(await handleUtterance(chat, 'sign in as nobody@example.com wrongpassword')).toBe(
      'That email and password do not match an account.',
    );
    expect(await handleUtterance(chat, 'sing me a song')).toMatch(/^Sorry, I didn't get "sing me a song"/);
  });
});

describe('on the demo Voice channel (speakable)', () => {
  it('reads the spoken description and offers every size the voice profile lists', async () => {
    const chat = converse('voice');
    await handleUtterance(chat, 'find running shoes under 100');
    expect(await handleUtterance(chat, 'tell me about the first one')).toMatch(/It costs €[\d.,]+\./);
    // Sizes run 40 to 46; a speakable product lists every variant, so 46 can be chosen…
    expect(await handleUtterance(chat, 'add the first one in size 46')).not.toMatch(/can't offer/);
    // …and a size the shoe is not made in is refused with the sizes that exist.
    expect(await handleUtterance(chat, 'add the first one in size 52')).toMatch(
      /^I can't offer the .+ in size 52 here\. Sizes I can offer: 40, .*46\.$/,
    );
  });
});
