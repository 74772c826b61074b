import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { Type } from 'typebox';

export interface MerxMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  streamSubscribers: Gauge<'stream'>;
  /** One per delivery attempt: `succeeded`, `failed` (will retry) or `dead` (gave up). */
  deliveryAttempts: Counter<'kind' | 'outcome'>;
  /** Highest outbox seq this node's bus has dispatched (compare across nodes for lag). */
  busPosition: Gauge;
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: MerxMetrics;
  }
}

/**
 * Prometheus metrics for this process at `GET /metrics`. Each app gets its own registry
 * (tests build several apps in one process). Queue depth and pool gauges are read at
 * scrape time, so they cost nothing between scrapes.
 */
export async function registerMetrics(app: FastifyInstance): Promise<void> {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labels = ['method', 'route', 'status'] as const;
  const metrics: MerxMetrics = {
    registry,
    httpRequests: new Counter({
      name: 'merx_http_requests_total',
      help: 'HTTP requests by method, route template and status',
      labelNames: labels,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'merx_http_request_duration_seconds',
      help: 'HTTP request latency',
      labelNames: labels,
      buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    streamSubscribers: new Gauge({
      name: 'merx_stream_subscribers',
      help: 'Open Server-Sent Events streams on this node',
      labelNames: ['stream'],
      registers: [registry],
    }),
    deliveryAttempts: new Counter({
      name: 'merx_event_delivery_attempts_total',
      help: 'Webhook and subscriber delivery attempts by outcome (failed = will retry, dead = gave up)',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    busPosition: new Gauge({
      name: 'merx_event_bus_position',
      help: 'Highest outbox seq dispatched by this node',
      registers: [registry],
    }),
  };
  const pool = app.merx.database.pool;
  new Gauge({
    name: 'merx_db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  new Gauge({
    name: 'merx_event_delivery_queue',
    help: 'Webhook and subscriber deliveries waiting (pending) or dead-lettered (dead)',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      const rows = await sql<{ status: string; count: number }>`
        SELECT status, count(*)::int AS count FROM event_deliveries
        WHERE status IN ('pending', 'dead') GROUP BY status`.execute(app.merx.db);
      this.set({ status: 'pending' }, 0);
      this.set({ status: 'dead' }, 0);
      for (const row of rows.rows) this.set({ status: row.status }, row.count);
    },
  });
  app.decorate('metrics', metrics);

  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (route === '/metrics') return;
    const values = { method: request.method, route, status: String(reply.statusCode) };
    metrics.httpRequests.inc(values);
    metrics.httpDuration.observe(values, reply.elapsedTime / 1000);
  });

  app.get(
    '/metrics',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Prometheus metrics',
        description:
          'Metrics of this process in the Prometheus text format: requests by route and status, latency ' +
          'histogram, database pool, event delivery queue depth, open streams, delivery failures. ' +
          'Unauthenticated like /health: expose it only to your monitoring network.',
        produces: ['text/plain'],
        response: { 200: Type.String({ description: 'Prometheus text exposition format' }) },
      },
    },
    async (_request, reply) => {
      const body = await registry.metrics();
      return reply
        .type(registry.contentType)
        .serializer((payload: unknown) => String(payload))
        .send(body);
    },
  );
}
