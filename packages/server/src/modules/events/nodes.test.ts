import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startReceiver } from '../webhooks/receiver.js';
import { type MerxProcess, runMerx, spawnMerx } from './processes.js';
import { openSse } from './sse-client.js';

const databaseUrl = process.env.DATABASE_URL;
const secretKey = `sk_test_${randomBytes(12).toString('hex')}`;
const started: MerxProcess[] = [];
const schemas: string[] = [];
const dataDirs: string[] = [];

afterAll(async () => {
  await Promise.all(started.map((process) => process.kill()));
  if (databaseUrl && schemas.length) {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh database for child processes: a new schema on PostgreSQL, else a PGlite data dir. */
function freshDatabaseEnv(): Record<string, string> {
  if (databaseUrl) {
    const schema = `t_nodes_${randomBytes(5).toString('hex')}`;
    schemas.push(schema);
    return { DATABASE_URL: databaseUrl, MERX_DATABASE_SCHEMA: schema, MERX_SECRET_KEY: secretKey };
  }
  const dir = mkdtempSync(join(tmpdir(), 'merx-node-'));
  dataDirs.push(dir);
  return { DATABASE_URL: '', MERX_DATA_DIR: dir, MERX_SECRET_KEY: secretKey };
}

async function start(args: string[], env: Record<string, string>, port?: number) {
  const process = await spawnMerx(args, env, { port });
  started.push(process);
  return process;
}

async function call(base: string, method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

async function shopOn(base: string) {
  const channel = await call(base, 'POST', '/admin/v1/channels', secretKey, {
    name: 'Web',
    kind: 'web',
    default_currency: 'EUR',
  });
  const key = await call(base, 'POST', '/admin/v1/keys', secretKey, {
    kind: 'publishable',
    name: 'web',
    channel_id: channel.id,
  });
  return key.token as string;
}

describe('merx start --workers', () => {
  it('refuses more than one worker on PGlite with a clear message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'merx-workers-'));
    dataDirs.push(dir);
    const result = await runMerx(['start', '--no-seed', '--workers', '2'], {
      DATABASE_URL: '',
      MERX_DATA_DIR: dir,
    });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('--workers above 1 needs PostgreSQL (set DATABASE_URL)');
  }, 60_000);
});

describe.runIf(databaseUrl)(
  'several API nodes on one PostgreSQL (PostgreSQL only: PGlite is single-process)',
  () => {
    it('delivers a cart change made through process A to a stream subscriber on process B', async () => {
      const env = freshDatabaseEnv();
      const nodeA = await start(['start', '--no-seed'], env);
      const nodeB = await start(['start', '--no-seed'], env);
      const key = await shopOn(nodeA.baseUrl);
      const cart = await call(nodeA.baseUrl, 'POST', '/store/v1/carts', key, {});
      const onB = await openSse(`${nodeB.baseUrl}/store/v1/carts/${cart.id}/stream?key=${key}`);
      expect(onB.status).toBe(200);
      await onB.waitFor(1);
      const changedAt = performance.now();
      await call(nodeA.baseUrl, 'PATCH', `/store/v1/carts/${cart.id}`, key, { email: 'phone@example.com' });
      const [update] = await onB.waitFor(1, (message) => message.event === 'cart.updated');
      expect(JSON.parse(update.data).cart).toMatchObject({ id: cart.id, email: 'phone@example.com' });
      expect(update.receivedAt - changedAt).toBeLessThan(1000);
      onB.close();
    }, 240_000);

    it('serves live streams across the workers of merx start --workers 2', async () => {
      const node = await start(['start', '--no-seed', '--workers', '2'], freshDatabaseEnv());
      const key = await shopOn(node.baseUrl);
      const cart = await call(node.baseUrl, 'POST', '/store/v1/carts', key, {});
      const streams = await Promise.all(
        [1, 2, 3, 4].map(() => openSse(`${node.baseUrl}/store/v1/carts/${cart.id}/stream?key=${key}`)),
      );
      for (const stream of streams) await stream.waitFor(1);
      // New connections are spread round-robin over the workers: writes land on both.
      for (const email of ['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com']) {
        await call(node.baseUrl, 'PATCH', `/store/v1/carts/${cart.id}`, key, { email });
      }
      for (const stream of streams) {
        const updates = await stream.waitFor(4, (message) => message.event === 'cart.updated');
        expect(JSON.parse(updates[3].data).cart.email).toBe('d@example.com');
        stream.close();
      }
    }, 240_000);
  },
);

describe('crash safety', () => {
  it('delivers a webhook after the server is SIGKILLed between commit and delivery', async () => {
    const env = {
      ...freshDatabaseEnv(),
      MERX_WEBHOOK_ALLOW_LOOPBACK: 'true',
      MERX_WEBHOOK_TIMEOUT_MS: '1000',
      MERX_DELIVERY_BACKOFF_MS: '100',
    };
    // The first request is never answered: the server dies with the delivery in flight.
    const receiver = await startReceiver(['hang']);
    try {
      const first = await start(['start', '--no-seed'], env);
      const port = Number(new URL(first.baseUrl).port);
      const endpoint = await call(first.baseUrl, 'POST', '/admin/v1/webhooks', secretKey, {
        url: receiver.url,
        event_types: ['webhook.ping'],
      });
      const ping = await call(first.baseUrl, 'POST', `/admin/v1/webhooks/${endpoint.id}/ping`, secretKey);
      await expect.poll(() => receiver.received.length, { timeout: 15_000 }).toBe(1);
      await first.kill();
      expect(first.child.signalCode).toBe('SIGKILL');

      const second = await start(['start', '--no-seed'], env, port);
      await expect.poll(() => receiver.received.length, { timeout: 20_000 }).toBe(2);
      expect(receiver.received.map((request) => request.headers['merx-event-id'])).toEqual([
        ping.event_id,
        ping.event_id,
      ]);
      const log = await call(
        second.baseUrl,
        'GET',
        `/admin/v1/webhooks/${endpoint.id}/deliveries`,
        secretKey,
      );
      await expect
        .poll(
          async () =>
            (await call(second.baseUrl, 'GET', `/admin/v1/webhooks/${endpoint.id}/deliveries`, secretKey))
              .data[0].status,
        )
        .toBe('succeeded');
      expect(log.data).toHaveLength(1);
    } finally {
      await receiver.close();
    }
  }, 240_000);
});
