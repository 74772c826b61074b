import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStoreClient, MerxError } from '../src/index.js';
import { type LiveServer, startLiveServer } from './server.js';

let live: LiveServer;
let channel: { id: string; key: string };
beforeAll(async () => {
  live = await startLiveServer();
  channel = await live.server.newChannel();
});
afterAll(() => live.close());

interface Attempt {
  method: string;
  key: string | null;
  status: number | 'network error';
  replayed: string | null;
}

/** A fetch that records every attempt and sabotages the ones `fault` picks. */
function flakyFetch(fault: (attempt: number) => 'drop-response' | 'refuse' | '503' | null) {
  const attempts: Attempt[] = [];
  const fetch = async (request: Request) => {
    const n = attempts.length;
    const record: Attempt = {
      method: request.method,
      key: request.headers.get('idempotency-key'),
      status: 'network error',
      replayed: null,
    };
    attempts.push(record);
    const action = fault(n);
    if (action === 'refuse') throw new TypeError('fetch failed (connection refused)');
    if (action === '503') {
      record.status = 503;
      return new Response(JSON.stringify({ code: 'unavailable', detail: 'try again' }), {
        status: 503,
        headers: { 'content-type': 'application/problem+json', 'retry-after': '0' },
      });
    }
    const response = await globalThis.fetch(request);
    // The server did the work, but the answer is lost on the way back.
    if (action === 'drop-response') throw new TypeError('fetch failed (socket hang up)');
    record.status = response.status;
    record.replayed = response.headers.get('idempotent-replayed');
    return response;
  };
  return { fetch, attempts };
}

const fastRetry = { baseDelayMs: 1, maxDelayMs: 5 };

describe('Idempotency-Key and retries', () => {
  it('a POST whose response was lost is retried with the same key and replayed, not done twice', async () => {
    const { fetch, attempts } = flakyFetch((n) => (n === 0 ? 'drop-response' : null));
    const store = createStoreClient({
      baseUrl: live.baseUrl,
      publishableKey: channel.key,
      fetch,
      retry: fastRetry,
    });
    const cart = await store.post('/store/v1/carts', { body: { email: 'retry@example.com' } });
    expect(attempts).toHaveLength(2);
    expect(attempts[0].key).toMatch(/^[0-9a-f]{32}$/);
    expect(attempts[1].key).toBe(attempts[0].key);
    expect(attempts[1]).toMatchObject({ status: 201, replayed: 'true' });
    // The replayed cart is the one the first attempt created: exactly one cart exists.
    const carts = await live.server.db
      .selectFrom('carts')
      .select('id')
      .where('email', '=', 'retry@example.com')
      .execute();
    expect(carts.map((row) => row.id)).toEqual([cart.id]);
  });

  it('each logical POST gets its own key; 503 and refused connections are retried with back-off', async () => {
    const { fetch, attempts } = flakyFetch((n) => (n === 0 ? '503' : n === 1 ? 'refuse' : null));
    const store = createStoreClient({
      baseUrl: live.baseUrl,
      publishableKey: channel.key,
      fetch,
      retry: fastRetry,
    });
    await store.post('/store/v1/carts', { body: {} });
    await store.post('/store/v1/carts', { body: {} });
    expect(attempts.map((a) => a.status)).toEqual([503, 'network error', 201, 201]);
    expect(new Set(attempts.slice(0, 3).map((a) => a.key)).size).toBe(1);
    expect(attempts[3].key).not.toBe(attempts[0].key);
  });

  it('gives up after the configured retries with the last error, and never retries PATCH or 4xx', async () => {
    const down = flakyFetch(() => '503');
    const store = createStoreClient({
      baseUrl: live.baseUrl,
      publishableKey: channel.key,
      fetch: down.fetch,
      retry: { ...fastRetry, retries: 2 },
    });
    await expect(store.get('/store/v1/channel')).rejects.toMatchObject({ status: 503, code: 'unavailable' });
    expect(down.attempts).toHaveLength(3);

    const patchFails = flakyFetch(() => 'refuse');
    const patcher = createStoreClient({
      baseUrl: live.baseUrl,
      publishableKey: channel.key,
      fetch: patchFails.fetch,
      retry: fastRetry,
    });
    await expect(
      patcher.patch('/store/v1/carts/{id}', { params: { path: { id: 'cart_x' } }, body: { email: null } }),
    ).rejects.toThrow(TypeError);
    expect(patchFails.attempts).toHaveLength(1);

    const counting = flakyFetch(() => null);
    const client = createStoreClient({
      baseUrl: live.baseUrl,
      publishableKey: channel.key,
      fetch: counting.fetch,
    });
    const error = await client.post('/store/v1/carts', { body: { currency: 'XXX' } }).catch((e) => e);
    expect(error).toBeInstanceOf(MerxError);
    expect(error.status).toBeGreaterThanOrEqual(400);
    expect(error.status).toBeLessThan(500);
    expect(counting.attempts).toHaveLength(1);
  });

  it('a caller-chosen Idempotency-Key is kept', async () => {
    const { fetch, attempts } = flakyFetch(() => null);
    const store = createStoreClient({ baseUrl: live.baseUrl, publishableKey: channel.key, fetch });
    const first = await store.post('/store/v1/carts', {
      body: {},
      headers: { 'Idempotency-Key': 'my-key-1' },
    });
    const second = await store.post('/store/v1/carts', {
      body: {},
      headers: { 'Idempotency-Key': 'my-key-1' },
    });
    expect(attempts.map((a) => a.key)).toEqual(['my-key-1', 'my-key-1']);
    expect(second.id).toBe(first.id);
  });
});
