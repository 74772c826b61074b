import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.js';
import type { MerxConfig } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/connection.js';
import { migrate } from './db/migrate.js';
import { staleStatisticsWarning } from './db/statistics.js';
import { newSecret } from './lib/ids.js';
import { countSecretKeys, createApiKey, listApiKeys } from './modules/channels/keys.js';
import { listChannels } from './modules/channels/service.js';
import { createStaff, listStaff } from './modules/staff/service.js';

export interface RunningServer {
  app: FastifyInstance;
  database: DatabaseHandle;
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Seed the demo catalog when the database has no channels yet (first run only). */
  seedDemo?: boolean;
  print?: (line: string) => void;
  /** Migrations and first-run setup already done (cluster workers: the primary did them). */
  prepared?: boolean;
}

/** First start only: the admin secret key comes from MERX_SECRET_KEY or is generated and printed once. */
async function ensureAdminKey(database: DatabaseHandle, config: MerxConfig, print: (line: string) => void) {
  if ((await countSecretKeys(database.db)) > 0) return;
  const { token } = await createApiKey(database.db, {
    kind: 'secret',
    name: 'Bootstrap admin key',
    scopes: ['*'],
    token: config.bootstrapSecretKey ?? undefined,
  });
  if (config.bootstrapSecretKey) print('Admin secret key: taken from MERX_SECRET_KEY');
  else print(`Admin secret key (shown once, keep it): ${token}`);
}

/** First start only: a dashboard owner account, with a password printed once. */
async function ensureOwnerStaff(database: DatabaseHandle, print: (line: string) => void) {
  if ((await listStaff(database.db)).length > 0) return;
  const email = process.env.MERX_ADMIN_EMAIL ?? 'owner@merx.dev';
  const password = process.env.MERX_ADMIN_PASSWORD ?? newSecret('pw', 12).slice(3);
  await createStaff(database.db, { email, name: 'Owner', role: 'owner', password });
  print(
    `Dashboard owner: ${email} / ${process.env.MERX_ADMIN_PASSWORD ? '(MERX_ADMIN_PASSWORD)' : password}`,
  );
}

// Several nodes started at once on a new PostgreSQL database would each see "no key yet".
const FIRST_RUN_LOCK_ID = 7_413_003;

/**
 * Runs `setup` while holding a session advisory lock on a connection of its own, so one node
 * does the first-run setup and the others wait, then find it done. PGlite is one process's
 * single connection: nothing else can race it, and holding its only connection would deadlock.
 */
async function onePreparerAtATime(database: DatabaseHandle, setup: () => Promise<void>): Promise<void> {
  if (database.kind !== 'postgres') return setup();
  const client = await database.pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1, hashtext(current_schema()))', [FIRST_RUN_LOCK_ID]);
    try {
      await setup();
    } finally {
      await client.query('SELECT pg_advisory_unlock($1, hashtext(current_schema()))', [FIRST_RUN_LOCK_ID]);
    }
  } finally {
    client.release();
  }
}

/** Migrations and first-run setup: run once per start, before any process serves. */
export async function prepareDatabase(
  database: DatabaseHandle,
  config: MerxConfig,
  options: StartOptions,
  print: (line: string) => void,
): Promise<void> {
  const { applied } = await migrate(database.db);
  if (applied.length > 0) print(`Applied ${applied.length} migration(s)`);
  await onePreparerAtATime(database, () => firstRunSetup(database, config, options, print));
}

async function firstRunSetup(
  database: DatabaseHandle,
  config: MerxConfig,
  options: StartOptions,
  print: (line: string) => void,
): Promise<void> {
  await ensureAdminKey(database, config, print);
  await ensureOwnerStaff(database, print);
  if (options.seedDemo && (await listChannels(database.db)).length === 0) {
    const { seedDemoCatalog } = await import('./demo/seed.js');
    print('First run: seeding the demo catalog…');
    await seedDemoCatalog(database.db, { print });
    const { seedDemoCheckoutSettings } = await import('./demo/shipping.js');
    await seedDemoCheckoutSettings(database.db);
    print('Demo checkout: regions Europe (EUR, VAT included) and United States (USD), code WELCOME10');
  }
}

export const serverUrl = (config: MerxConfig) =>
  `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`;

export async function printBanner(database: DatabaseHandle, url: string, print: (line: string) => void) {
  const channels = await listChannels(database.db);
  const keys = await listApiKeys(database.db);
  print(`Merx API on ${url}  ·  docs ${url}/docs  ·  OpenAPI ${url}/openapi.json`);
  print(`Storefront ${url}/  ·  merchant dashboard ${url}/admin`);
  for (const channel of channels) {
    for (const key of keys.filter((k) => k.channel_id === channel.id && !k.revoked_at)) {
      print(`  ${channel.name.padEnd(14)} (${channel.kind}) publishable key: ${key.publishable_token}`);
    }
  }
}

export async function startServer(config: MerxConfig, options: StartOptions = {}): Promise<RunningServer> {
  const print = options.print ?? ((line: string) => console.log(line));
  const database = await openDatabase(config);
  if (!options.prepared) await prepareDatabase(database, config, options, print);
  const app = await buildApp({ config, database });
  const statisticsWarning = await staleStatisticsWarning(database);
  if (statisticsWarning) app.log.warn(statisticsWarning);
  await app.listen({ host: config.host, port: config.port });
  const url = serverUrl(config);
  if (!options.prepared) await printBanner(database, url, print);
  return {
    app,
    database,
    url,
    async stop() {
      await app.close();
      await database.close();
    },
  };
}
