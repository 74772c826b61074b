/**
 * npx tsx bench/sse.ts [-- --levels 1000,2500,5000 --changes 100 --per-cart 2]
 *
 * How many concurrent live cart streams one API node holds while a change still reaches its
 * subscribers fast. Starts `merx start` as a child process on a fresh database (PGlite in a
 * temp dir, or a new database on the loopback PostgreSQL named by DATABASE_URL), opens
 * `--per-cart` streams on each of level/per-cart carts (a shopper's devices), then changes
 * `--changes` random carts one after another and measures, for every push, the time from
 * the writer's 200 (committed) to the message arriving, and from the write request to it.
 * Clients run in this process; server RSS is read from /proc.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { spawnMerx } from '../src/modules/events/processes.js';
import { openSse, type SseConnection } from '../src/modules/events/sse-client.js';
import { createBenchDatabase } from './lib/database.js';
import { memoryOf } from './lib/server-process.js';

const { values: args } = parseArgs({
  options: {
    levels: { type: 'string', default: '1000,2500,5000' },
    changes: { type: 'string', default: '100' },
    'per-cart': { type: 'string', default: '2' },
  },
});
const levels = args.levels.split(',').map(Number);
const changes = Number(args.changes);
const perCart = Number(args['per-cart']);

const percentile = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function inBatches<T>(count: number, size: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < count; start += size) {
    out.push(
      ...(await Promise.all(
        Array.from({ length: Math.min(size, count - start) }, (_, i) => make(start + i)),
      )),
    );
  }
  return out;
}

const secretKey = `sk_bench_${randomBytes(12).toString('hex')}`;
const database = await createBenchDatabase(process.env.DATABASE_URL);
console.log(`Database: ${database.label}`);
const server = await spawnMerx(['start', '--no-seed'], {
  ...database.env,
  MERX_SECRET_KEY: secretKey,
  MERX_RATE_LIMIT_PER_MINUTE: '100000000',
});

async function call(method: string, path: string, key: string, body?: unknown) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${await response.text()}`);
  return response.json();
}

const streams: Array<{ cartId: string; connection: SseConnection }> = [];
try {
  const channel = await call('POST', '/admin/v1/channels', secretKey, {
    name: 'Bench',
    kind: 'web',
    default_currency: 'EUR',
  });
  const { token: key } = await call('POST', '/admin/v1/keys', secretKey, {
    kind: 'publishable',
    name: 'bench',
    channel_id: channel.id,
  });
  const carts: string[] = [];
  const rows: string[] = [];
  let changeNo = 0;
  for (const level of levels) {
    const neededCarts = Math.ceil(level / perCart);
    carts.push(
      ...(await inBatches(
        neededCarts - carts.length,
        20,
        async () => (await call('POST', '/store/v1/carts', key, {})).id as string,
      )),
    );
    const opened = await inBatches(level - streams.length, 100, async (i) => {
      const cartId = carts[Math.floor((streams.length + i) / perCart)];
      const connection = await openSse(`${server.baseUrl}/store/v1/carts/${cartId}/stream?key=${key}`);
      if (connection.status !== 200) throw new Error(`stream refused: ${connection.status}`);
      await connection.waitFor(1, undefined, 120_000);
      return { cartId, connection };
    });
    streams.push(...opened);

    const commitToPush: number[] = [];
    const requestToPush: number[] = [];
    let missing = 0;
    for (let i = 0; i < changes; i++) {
      const cartId = carts[Math.floor(Math.random() * carts.length)];
      const email = `change-${++changeNo}@bench.test`;
      const watchers = streams.filter((stream) => stream.cartId === cartId);
      const arrivals = watchers.map(({ connection }) =>
        connection.waitFor(1, (message) => message.data.includes(email), 10_000).catch(() => null),
      );
      const sentAt = performance.now();
      await call('PATCH', `/store/v1/carts/${cartId}`, key, { email });
      const committedAt = performance.now();
      for (const arrived of await Promise.all(arrivals)) {
        if (!arrived) {
          missing++;
          continue;
        }
        const at = arrived[0].receivedAt;
        commitToPush.push(Math.max(0, at - committedAt));
        requestToPush.push(at - sentAt);
      }
    }
    const memory = server.child.pid ? memoryOf(server.child.pid) : null;
    const row =
      `| ${streams.length} | ${carts.length} | ${commitToPush.length} | ${percentile(commitToPush, 50).toFixed(1)} | ` +
      `${percentile(commitToPush, 99).toFixed(1)} | ${percentile(requestToPush, 99).toFixed(1)} | ${missing} | ` +
      `${memory ? memory.rssMb.toFixed(0) : '?'} |`;
    rows.push(row);
    console.log(row);
  }
  console.log(
    '\n| open streams | carts | pushes measured | commit→push p50 ms | commit→push p99 ms | request→push p99 ms | missed | server RSS MB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
} finally {
  for (const { connection } of streams) connection.close();
  await server.stop();
  await database.drop();
}
