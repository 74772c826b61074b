import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test/harness.js';
import type { Resolver } from './network.js';
import { type Receiver, startReceiver } from './receiver.js';

let server: TestServer;
let receiver: Receiver;
// No test resolves a real name: unknown hosts fail like NXDOMAIN.
const dns = new Map<string, string>();
const fakeResolver: Resolver = async (hostname) => {
  const address = dns.get(hostname);
  if (!address) throw new Error(`ENOTFOUND ${hostname}`);
  return [{ address, family: address.includes(':') ? 6 : 4 }];
};
beforeAll(async () => {
  server = await startTestServer({
    webhookAllowLoopback: true,
    deliveryBackoffMs: 20,
    deliveryMaxAttempts: 4,
    webhookTimeoutMs: 2000,
    eventPollMs: 200,
  });
  server.app.webhookNetwork.resolve = fakeResolver;
  receiver = await startReceiver();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

const createEndpoint = async (body: Record<string, unknown>) =>
  server.admin('POST', '/admin/v1/webhooks', body);
const deliveriesOf = async (endpointId: string) =>
  (await server.admin('GET', `/admin/v1/webhooks/${endpointId}/deliveries`)).json().data;

async function loadDocumentedVerifier() {
  const docs = readFileSync(
    join(dirname(fileURLToPath(import.meta.url)), '../../../../../docs/events.md'),
    'utf8',
  );
  const block = /<!-- verify-snippet:start -->\s*```js\n([\s\S]*?)```\s*<!-- verify-snippet:end -->/.exec(
    docs,
  );
  if (!block) throw new Error('docs/events.md lost its verification snippet');
  const file = join(mkdtempSync(join(tmpdir(), 'merx-verify-')), 'verify.mjs');
  writeFileSync(file, block[1]);
  return (await import(pathToFileURL(file).href)) as {
    verifyMerxWebhook(rawBody: string, header: string, secret: string, tolerance?: number): { id: string };
  };
}

describe('webhook endpoints', () => {
  it('creates an endpoint, shows its secret once, updates it with If-Match and deletes it', async () => {
    const created = await createEndpoint({ url: receiver.url, event_types: ['order.*', 'cart.updated'] });
    expect(created.statusCode).toBe(201);
    const endpoint = created.json();
    expect(endpoint.secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ enabled: true, version: 1, event_types: ['order.*', 'cart.updated'] });
    const read = (await server.admin('GET', `/admin/v1/webhooks/${endpoint.id}`)).json();
    expect(read.secret).toBeUndefined();
    expect(read.secret_hint).toBe(endpoint.secret.slice(-4));
    const listed = (await server.admin('GET', '/admin/v1/webhooks?limit=100')).json();
    expect(listed.data.some((row: { id: string }) => row.id === endpoint.id)).toBe(true);

    const paused = await server.admin(
      'PATCH',
      `/admin/v1/webhooks/${endpoint.id}`,
      { enabled: false },
      { 'if-match': '1' },
    );
    expect(paused.json()).toMatchObject({ enabled: false, version: 2 });
    const stale = await server.admin(
      'PATCH',
      `/admin/v1/webhooks/${endpoint.id}`,
      { enabled: true },
      { 'if-match': '1' },
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.json().current.version).toBe(2);
    expect((await server.admin('POST', `/admin/v1/webhooks/${endpoint.id}/ping`)).statusCode).toBe(409);

    expect((await server.admin('DELETE', `/admin/v1/webhooks/${endpoint.id}`)).statusCode).toBe(204);
    expect((await server.admin('GET', `/admin/v1/webhooks/${endpoint.id}`)).statusCode).toBe(404);
    expect((await server.admin('DELETE', `/admin/v1/webhooks/${endpoint.id}`)).statusCode).toBe(404);
  });

  it('rejects bad input precisely and creates nothing', async () => {
    const before = (await server.admin('GET', '/admin/v1/webhooks?limit=100')).json().data.length;
    const unknownField = await createEndpoint({
      url: receiver.url,
      event_types: ['order.placed'],
      secret: 'mine',
    });
    expect(unknownField.statusCode).toBe(400);
    expect(unknownField.json().errors).toContainEqual({
      field: '/body/secret',
      message: 'is not a known field',
    });
    const badType = await createEndpoint({ url: receiver.url, event_types: ['Order Placed'] });
    expect(badType.statusCode).toBe(400);
    const noTypes = await createEndpoint({ url: receiver.url, event_types: [] });
    expect(noTypes.statusCode).toBe(400);
    const ftp = await createEndpoint({ url: 'ftp://127.0.0.1/hook', event_types: ['*'] });
    expect(ftp.statusCode).toBe(422);
    expect(ftp.json()).toMatchObject({ code: 'webhook_url_refused', errors: [{ field: '/body/url' }] });
    expect((await server.admin('GET', '/admin/v1/webhooks?limit=100')).json().data.length).toBe(before);
    const key = await server.admin('POST', '/admin/v1/keys', {
      kind: 'secret',
      name: 'r',
      scopes: ['webhooks:read'],
    });
    const denied = await server.store(key.json().token, 'POST', '/admin/v1/webhooks', {
      url: receiver.url,
      event_types: ['*'],
    });
    expect(denied.statusCode).toBe(403);
  });
});

describe('webhook delivery', () => {
  it('signs deliveries so that the documented snippet verifies them, and rejects tampering', async () => {
    const { verifyMerxWebhook } = await loadDocumentedVerifier();
    const endpoint = (await createEndpoint({ url: receiver.url, event_types: ['webhook.ping'] })).json();
    const ping = (await server.admin('POST', `/admin/v1/webhooks/${endpoint.id}/ping`)).json();
    await expect
      .poll(() => receiver.received.find((r) => r.headers['merx-event-id'] === ping.event_id))
      .toBeTruthy();
    const hit = receiver.received.find((r) => r.headers['merx-event-id'] === ping.event_id);
    if (!hit) throw new Error('unreachable');
    const header = String(hit.headers['merx-signature']);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = verifyMerxWebhook(hit.body, header, endpoint.secret);
    expect(event).toMatchObject({ id: ping.event_id, type: 'webhook.ping', resource_id: endpoint.id });
    expect(() => verifyMerxWebhook(hit.body.replace('ping', 'pong'), header, endpoint.secret)).toThrow(
      /signature/,
    );
    expect(() => verifyMerxWebhook(hit.body, header, 'whsec_wrong')).toThrow(/signature/);
    const old = header.replace(/t=\d+/, `t=${Math.floor(Date.now() / 1000) - 3600}`);
    expect(() => verifyMerxWebhook(hit.body, old, endpoint.secret)).toThrow(/old/);
  });

  it('retries a receiver that answers 500 three times, then 200: four attempts logged', async () => {
    const flaky = await startReceiver([500, 500, 500, 200]);
    try {
      const endpoint = (await createEndpoint({ url: flaky.url, event_types: ['webhook.ping'] })).json();
      await server.admin('POST', `/admin/v1/webhooks/${endpoint.id}/ping`);
      await expect
        .poll(async () => (await deliveriesOf(endpoint.id))[0]?.status, { timeout: 10_000 })
        .toBe('succeeded');
      const [delivery] = await deliveriesOf(endpoint.id);
      const detail = (
        await server.admin('GET', `/admin/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}`)
      ).json();
      expect(detail).toMatchObject({
        status: 'succeeded',
        attempts: 4,
        last_status_code: 200,
        next_attempt_at: null,
      });
      expect(
        detail.attempt_log.map((a: { attempt: number; status_code: number }) => [a.attempt, a.status_code]),
      ).toEqual([
        [1, 500],
        [2, 500],
        [3, 500],
        [4, 200],
      ]);
      expect(detail.attempt_log[0].error).toBe('Receiver answered 500');
      expect(detail.attempt_log.every((a: { duration_ms: number }) => a.duration_ms >= 0)).toBe(true);
      expect(flaky.received.map((r) => r.headers['merx-delivery-attempt'])).toEqual(['1', '2', '3', '4']);
      expect(new Set(flaky.received.map((r) => r.headers['merx-event-id'])).size).toBe(1);
    } finally {
      await flaky.close();
    }
  });

  it('dead-letters after the maximum attempts and delivers again on manual replay', async () => {
    const down = await startReceiver([503, 503, 503, 503]);
    try {
      const endpoint = (await createEndpoint({ url: down.url, event_types: ['webhook.ping'] })).json();
      await server.admin('POST', `/admin/v1/webhooks/${endpoint.id}/ping`);
      await expect
        .poll(async () => (await deliveriesOf(endpoint.id))[0]?.status, { timeout: 10_000 })
        .toBe('dead');
      const [dead] = await deliveriesOf(endpoint.id);
      expect(dead).toMatchObject({ attempts: 4, last_status_code: 503 });
      const dlq = (
        await server.admin('GET', `/admin/v1/webhooks/${endpoint.id}/deliveries?status=dead`)
      ).json();
      expect(dlq.data.map((d: { id: string }) => d.id)).toEqual([dead.id]);

      const replay = await server.admin(
        'POST',
        `/admin/v1/webhooks/${endpoint.id}/deliveries/${dead.id}/replay`,
      );
      expect(replay.statusCode).toBe(202);
      await expect
        .poll(async () => (await deliveriesOf(endpoint.id))[0]?.status, { timeout: 5000 })
        .toBe('succeeded');
      const detail = (
        await server.admin('GET', `/admin/v1/webhooks/${endpoint.id}/deliveries/${dead.id}`)
      ).json();
      expect(detail.attempt_log.map((a: { status_code: number }) => a.status_code)).toEqual([
        503, 503, 503, 503, 200,
      ]);
      expect(down.received).toHaveLength(5);
      const again = await server.admin('POST', `/admin/v1/webhooks/${endpoint.id}/deliveries/nope/replay`);
      expect(again.statusCode).toBe(404);
    } finally {
      await down.close();
    }
  });

  it('delivers only subscribed types, from the endpoint’s creation on', async () => {
    const { emitEvent } = await import('../events/outbox.js');
    const { inTransaction } = await import('../../db/transaction.js');
    const emit = (type: string) =>
      inTransaction(server.db, (tx) =>
        emitEvent(tx, { type, resourceType: 'x', resourceId: 'x_1', data: {} }),
      );
    const before = await emit('order.placed');
    const listener = await startReceiver();
    try {
      const endpoint = (await createEndpoint({ url: listener.url, event_types: ['order.*'] })).json();
      const placed = await emit('order.placed');
      await emit('product.updated');
      const paid = await emit('order.paid');
      await expect.poll(() => listener.received.length).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(listener.received.map((r) => r.headers['merx-event-id']).sort()).toEqual(
        [placed.id, paid.id].sort(),
      );
      expect(listener.received.some((r) => r.headers['merx-event-id'] === before.id)).toBe(false);
      expect((await deliveriesOf(endpoint.id)).length).toBe(2);
    } finally {
      await listener.close();
    }
  });

  it('refuses at delivery time a host that now resolves to a private address (DNS rebinding), without connecting', async () => {
    const rebinding = await startReceiver();
    const port = new URL(rebinding.url).port;
    dns.set('hooks.example.test', '127.0.0.1');
    try {
      const created = await createEndpoint({
        url: `http://hooks.example.test:${port}/hook`,
        event_types: ['webhook.ping'],
      });
      expect(created.statusCode).toBe(201);
      dns.set('hooks.example.test', '10.0.0.1');
      await server.admin('POST', `/admin/v1/webhooks/${created.json().id}/ping`);
      await expect
        .poll(async () => (await deliveriesOf(created.json().id))[0]?.last_error, { timeout: 5000 })
        .toBe('URL refused: it resolves to 10.0.0.1, a private address');
      expect(rebinding.received).toHaveLength(0);
    } finally {
      await rebinding.close();
    }
  });
});
