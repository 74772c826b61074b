import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unique } from '../../server/test/harness.js';
import { createStoreClient, isMerxError, MerxError, paginate } from '../src/index.js';
import { createStockedProduct, type LiveServer, startLiveServer } from './server.js';

let live: LiveServer;
let channel: { id: string; key: string };
beforeAll(async () => {
  live = await startLiveServer();
  channel = await live.server.newChannel();
});
afterAll(() => live.close());

const storeClient = (options: Partial<Parameters<typeof createStoreClient>[0]> = {}) =>
  createStoreClient({ baseUrl: live.baseUrl, publishableKey: channel.key, ...options });

describe('store client', () => {
  it('reads typed products and builds a cart priced by the server', async () => {
    const { handle, variantIds } = await createStockedProduct(live, channel.id, [1250, 1999]);
    const store = storeClient();
    const product = await store.get('/store/v1/products/{idOrHandle}', {
      params: { path: { idOrHandle: handle } },
    });
    expect(product.handle).toBe(handle);
    expect(product.variants.map((variant) => variant.id).sort()).toEqual([...variantIds].sort());

    const cart = await store.post('/store/v1/carts', { body: {} });
    const updated = await store.post('/store/v1/carts/{id}/lines', {
      params: { path: { id: cart.id } },
      body: { variant_id: variantIds[1], quantity: 2 },
    });
    expect(updated.lines).toHaveLength(1);
    expect(updated.totals.subtotal).toBe(2 * 1999);
    expect(updated.version).toBeGreaterThan(cart.version);
  });

  it('throws problem+json answers as MerxError with status, code, detail and field errors', async () => {
    const store = storeClient();
    const missing = await store
      .get('/store/v1/carts/{id}', { params: { path: { id: 'cart_00000000000000000000000000' } } })
      .catch((error) => error);
    expect(missing).toBeInstanceOf(MerxError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    expect(missing.requestId).toMatch(/\S/);

    const cart = await store.post('/store/v1/carts', { body: {} });
    const invalid = await store
      .post('/store/v1/carts/{id}/lines', {
        params: { path: { id: cart.id } },
        body: { variant_id: 'var_x', quantity: 0 },
      })
      .catch((error) => error);
    expect(isMerxError(invalid, 'invalid_request')).toBe(true);
    expect(invalid.status).toBe(400);
    expect(invalid.errors.map((entry: { field: string }) => entry.field)).toContain('/body/quantity');
    expect(invalid.detail).toMatch(/\S/);

    const wrongKey = createStoreClient({ baseUrl: live.baseUrl, publishableKey: 'pk_nope' });
    await expect(wrongKey.get('/store/v1/channel')).rejects.toMatchObject({ status: 401 });
  });

  it('paginate walks every page of a cursor list, fetching lazily', async () => {
    const own = await live.server.newChannel();
    const handles: string[] = [];
    for (let i = 0; i < 5; i++) handles.push((await createStockedProduct(live, own.id, [100 + i])).handle);
    const store = createStoreClient({ baseUrl: live.baseUrl, publishableKey: own.key });
    const cursors: Array<string | undefined> = [];
    const seen: string[] = [];
    for await (const product of paginate((cursor) => {
      cursors.push(cursor);
      return store.get('/store/v1/products', { params: { query: { limit: 2, cursor } } });
    })) {
      seen.push(product.handle);
    }
    expect(seen.sort()).toEqual(handles.sort());
    expect(cursors).toHaveLength(3);
    expect(cursors[0]).toBeUndefined();

    // Stopping early fetches no further page.
    cursors.length = 0;
    for await (const _ of paginate((cursor) => {
      cursors.push(cursor);
      return store.get('/store/v1/products', { params: { query: { limit: 2, cursor } } });
    }))
      break;
    expect(cursors).toHaveLength(1);
  });
});

describe('customer session', () => {
  it('login keeps the token (X-Customer-Token), logout revokes and forgets it', async () => {
    const sessions: Array<string | null> = [];
    const store = storeClient({ onSessionChange: (token) => sessions.push(token) });
    const email = `${unique('ada')}@example.com`;
    await store.register({ email, password: 'correct horse battery', first_name: 'Ada' });
    expect(store.signedIn).toBe(false);

    const login = await store.login(email, 'correct horse battery');
    expect(store.customerToken).toBe(login.token);
    expect(sessions).toEqual([login.token]);
    const me = await store.get('/store/v1/customers/me');
    expect(me.email).toBe(email);

    // Another client restored from the stored token is the same customer.
    const restored = storeClient({ customerToken: login.token });
    expect((await restored.get('/store/v1/customers/me')).id).toBe(me.id);

    await store.logout();
    expect(store.customerToken).toBeNull();
    expect(sessions).toEqual([login.token, null]);
    await expect(store.get('/store/v1/customers/me')).rejects.toMatchObject({ status: 401 });
    // The server revoked the session: the restored client is signed out too.
    await expect(restored.get('/store/v1/customers/me')).rejects.toMatchObject({
      status: 401,
      code: 'invalid_session',
    });
    await restored.logout();
    expect(restored.customerToken).toBeNull();
  });

  it('a wrong password is a typed 401 and leaves the client signed out', async () => {
    const store = storeClient();
    const email = `${unique('bob')}@example.com`;
    await store.register({ email, password: 'correct horse battery' });
    const error = await store.login(email, 'wrong password!').catch((e) => e);
    expect(error).toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(store.signedIn).toBe(false);
  });
});

describe('admin client', () => {
  it('works with a secret key and refuses a publishable key with a typed 403', async () => {
    const channels = await live.admin.get('/admin/v1/channels');
    expect(channels.data.some((entry) => entry.id === channel.id)).toBe(true);
    const { createAdminClient } = await import('../src/index.js');
    const wrong = createAdminClient({ baseUrl: live.baseUrl, secretKey: channel.key });
    await expect(wrong.get('/admin/v1/channels')).rejects.toMatchObject({
      status: 403,
      code: 'wrong_key_kind',
    });
  });
});
