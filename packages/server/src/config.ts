import { resolve } from 'node:path';
import { DEFAULT_PAYMENT_TIMEOUT_MS } from './modules/payments/deadline.js';

export interface MerxConfig {
  host: string;
  port: number;
  /** postgres://… selects PostgreSQL; otherwise the embedded PGlite is used. */
  databaseUrl: string | null;
  /** PGlite data directory; `memory://` keeps everything in memory (tests). */
  dataDir: string;
  /** PostgreSQL schema to run in (tests isolate each file in its own schema). */
  databaseSchema: string | null;
  poolSize: number;
  bootstrapSecretKey: string | null;
  corsOrigins: string[] | true;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  logLevel: string;
  /** Webhook targets on loopback/private ranges are refused unless listed here. */
  webhookAllowLoopback: boolean;
  /** Fallback outbox poll of the event bus (NOTIFY is the fast path). */
  eventPollMs: number;
  /** Released and expired stock holds are deleted this many days after they settled. */
  reservationRetentionDays: number;
  /** Least time between two outbox reads of a node's bus: batches wake-ups under write load. */
  eventBatchMs: number;
  /** Comment line sent on idle live streams so proxies keep them open. */
  sseHeartbeatMs: number;
  /** Webhook / subscriber attempts before a delivery is dead-lettered. */
  deliveryMaxAttempts: number;
  /** First retry delay; doubles per attempt (with jitter). */
  deliveryBackoffMs: number;
  /** A webhook receiver must answer within this. */
  webhookTimeoutMs: number;
  /** A payment provider must answer each call within this; at most half the pending-operation take-over age. */
  paymentTimeoutMs: number;
}

function intFromEnv(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0)
    throw new Error(`Expected a non-negative integer, got "${value}"`);
  return parsed;
}

export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<MerxConfig> = {},
): MerxConfig {
  const cors = env.MERX_CORS_ORIGINS;
  return {
    host: env.HOST ?? 'localhost',
    port: intFromEnv(env.PORT, 4000),
    databaseUrl: env.DATABASE_URL || null,
    dataDir: env.MERX_DATA_DIR ?? resolve(process.cwd(), '.merx/data'),
    databaseSchema: env.MERX_DATABASE_SCHEMA || null,
    poolSize: intFromEnv(env.MERX_DB_POOL_SIZE, 10),
    bootstrapSecretKey: env.MERX_SECRET_KEY || null,
    corsOrigins: !cors || cors === '*' ? true : cors.split(',').map((origin) => origin.trim()),
    bodyLimitBytes: intFromEnv(env.MERX_BODY_LIMIT_BYTES, 5 * 1024 * 1024),
    rateLimitPerMinute: intFromEnv(env.MERX_RATE_LIMIT_PER_MINUTE, 6000),
    logLevel: env.LOG_LEVEL ?? 'info',
    webhookAllowLoopback: env.MERX_WEBHOOK_ALLOW_LOOPBACK === 'true',
    eventPollMs: intFromEnv(env.MERX_EVENT_POLL_MS, 1000),
    reservationRetentionDays: intFromEnv(env.MERX_RESERVATION_RETENTION_DAYS, 30),
    eventBatchMs: intFromEnv(env.MERX_EVENT_BATCH_MS, 15),
    sseHeartbeatMs: intFromEnv(env.MERX_SSE_HEARTBEAT_MS, 15_000),
    deliveryMaxAttempts: intFromEnv(env.MERX_DELIVERY_MAX_ATTEMPTS, 8),
    deliveryBackoffMs: intFromEnv(env.MERX_DELIVERY_BACKOFF_MS, 10_000),
    webhookTimeoutMs: intFromEnv(env.MERX_WEBHOOK_TIMEOUT_MS, 10_000),
    paymentTimeoutMs: intFromEnv(env.MERX_PAYMENT_TIMEOUT_MS, DEFAULT_PAYMENT_TIMEOUT_MS),
    ...overrides,
  };
}
