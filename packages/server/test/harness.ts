import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { buildApp } from '../src/app.js';
import { loadConfig, type MerxConfig } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/db/connection.js';
import type { Db } from '../src/db/database.js';
import { migrate } from '../src/db/migrate.js';
import { createApiKey } from '../src/modules/channels/keys.js';
import { createChannel } from '../src/modules/channels/service.js';

export interface TestServer {
  app: FastifyInstance;
  db: Db;
  database: DatabaseHandle;
  config: MerxConfig;
  adminKey: string;
  /** Admin call with the all-scopes secret key. */
  admin(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** Store call with a publishable key. */
  store(
    key: string,
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
  /** A fresh channel with its publishable key; tests isolate their data per channel. */
  newChannel(
    input?: Partial<{
      name: string;
      kind: string;
      default_currency: string;
      currencies: string[];
      head_profile: 'full' | 'compact' | 'speakable';
    }>,
  ): Promise<{ id: string; key: string }>;
  close(): Promise<void>;
}

/**
 * One database per test file: an in-memory PGlite by default, or a fresh schema in the
 * PostgreSQL named by DATABASE_URL (so parallel files and CI runs never collide).
 */
export async function startTestServer(overrides: Partial<MerxConfig> = {}): Promise<TestServer> {
  const databaseUrl = process.env.DATABASE_URL || null;
  const config = loadConfig(
    {},
    {
      databaseUrl,
      dataDir: 'memory://',
      databaseSchema: databaseUrl ? `t_${randomBytes(6).toString('hex')}` : null,
      logLevel: 'silent',
      rateLimitPerMinute: 1_000_000,
      poolSize: 20,
      ...overrides,
    },
  );
  const database = await openDatabase(config);
  await migrate(database.db);
  const app = await buildApp({ config, database, logger: false });
  await app.ready();
  const { token: adminKey } = await createApiKey(database.db, {
    kind: 'secret',
    name: 'test admin',
    scopes: ['*'],
  });

  const call = (auth: string, method: InjectOptions['method'], url: string, body?: unknown, headers = {}) =>
    app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${auth}`, ...headers },
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
    });

  return {
    app,
    db: database.db,
    database,
    config,
    adminKey,
    admin: (method, url, body, headers) => call(adminKey, method, url, body, headers),
    store: (key, method, url, body, headers) => call(key, method, url, body, headers),
    async newChannel(input = {}) {
      const channel = await createChannel(database.db, {
        name: input.name ?? `Channel ${randomBytes(3).toString('hex')}`,
        kind: input.kind ?? 'web',
        default_currency: input.default_currency ?? 'EUR',
        currencies: input.currencies ?? [input.default_currency ?? 'EUR'],
        head_profile: input.head_profile,
      });
      const { token } = await createApiKey(database.db, {
        kind: 'publishable',
        name: 'test',
        channel_id: channel.id,
      });
      return { id: channel.id, key: token };
    },
    async close() {
      await app.close();
      if (config.databaseSchema)
        await sql.raw(`DROP SCHEMA "${config.databaseSchema}" CASCADE`).execute(database.db);
      await database.close();
    },
  };
}

/** Random suffix for unique handles and SKUs within a shared database. */
export const unique = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;
