import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { MerxConfig } from './config.js';
import type { DatabaseHandle } from './db/connection.js';
import { requirePublishableKey, requireSecretKey } from './http/auth.js';
import { registerHttpCaching } from './http/caching.js';
import { bundledHeadSites, registerHeadSites } from './http/head-sites.js';
import { registerHeadShaping } from './http/heads.js';
import { healthRoutes } from './http/health.js';
import { registerIdempotency } from './http/idempotency.js';
import { registerMetrics } from './http/metrics.js';
import { registerOpenApi } from './http/openapi.js';
import { registerProblemHandlers } from './http/problem.js';
import { Problem } from './http/schemas.js';
import { registerTracing } from './http/tracing.js';
import { buildPartAwareValidator } from './http/validation.js';
import { newId } from './lib/ids.js';
import { registerEventRuntime } from './modules/events/runtime.js';
import { modules } from './modules/index.js';
import { configurePaymentCalls } from './modules/payments/registry.js';
import { registerWebhookNetwork } from './modules/webhooks/network.js';
import { webhookTarget } from './modules/webhooks/target.js';

export interface BuildOptions {
  config: MerxConfig;
  database: DatabaseHandle;
  logger?: boolean;
}

export async function buildApp({ config, database, logger = true }: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: logger ? { level: config.logLevel } : false,
    bodyLimit: config.bodyLimitBytes,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : newId('req');
    },
    schemaController: { compilersFactory: { buildValidator: buildPartAwareValidator() as never } },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('merx', { config, database, db: database.db });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-request-id', request.id);
    return payload;
  });
  registerProblemHandlers(app);
  app.addSchema(Problem);
  await app.register(cors, {
    origin: config.corsOrigins,
    exposedHeaders: ['etag', 'x-request-id', 'idempotent-replayed'],
  });
  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    // Per caller, not per key: every shopper of a channel shares its publishable key.
    keyGenerator: (request) => `${request.ip}|${request.headers.authorization ?? ''}`,
  });
  await registerOpenApi(app);
  registerHttpCaching(app);
  await app.register(healthRoutes);
  registerTracing(app);
  await registerMetrics(app);
  registerHeadShaping(app);
  registerWebhookNetwork(app, config);
  configurePaymentCalls({ timeoutMs: config.paymentTimeoutMs });
  registerEventRuntime(app, [webhookTarget(database.db, app.webhookNetwork)]);

  await app.register(
    async (store) => {
      requirePublishableKey(store);
      registerIdempotency(store);
      for (const module of modules) if (module.storeRoutes) await store.register(module.storeRoutes);
    },
    { prefix: '/store/v1' },
  );
  await app.register(
    async (admin) => {
      requireSecretKey(admin);
      registerIdempotency(admin);
      for (const module of modules) if (module.adminRoutes) await admin.register(module.adminRoutes);
    },
    { prefix: '/admin/v1' },
  );
  for (const module of modules) if (module.publicRoutes) await app.register(module.publicRoutes);
  registerHeadSites(app, bundledHeadSites(database.db));
  return app;
}
