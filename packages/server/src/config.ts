import { resolve } from 'node:path';

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
    ...overrides,
  };
}
