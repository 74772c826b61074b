/**
 * npm run bench [-- --products 10000 --duration 10 --connections 50 --workers 1 --scenarios product-list,…]
 *
 * Seeds a fresh database (PGlite in a temp dir, or a new `merx_bench_<ts>` database on the
 * PostgreSQL named by DATABASE_URL), starts the server as a child process on 127.0.0.1,
 * loads it with autocannon from this process, prints req/s, latency and the server's peak
 * RSS per scenario, then stops the server and removes the database. `--existing` uses the
 * already seeded database DATABASE_URL or MERX_DATA_DIR names instead, and keeps it.
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { cpuMeter } from './lib/cpu.js';
import { analyzeBenchDatabase, createBenchDatabase, existingBenchDatabase } from './lib/database.js';
import { type LoadResult, runLoad } from './lib/load.js';
import { runMerx, type ServerProcess, startServerProcess } from './lib/server-process.js';
import { scenarios } from './scenarios/index.js';
import type { BenchTarget, JourneyResult, JourneyScenario, Scenario } from './scenarios/types.js';

const isJourney = (scenario: Scenario): scenario is JourneyScenario => scenario.kind === 'journey';

const { values: args } = parseArgs({
  options: {
    products: { type: 'string', default: '10000' },
    duration: { type: 'string', default: '10' },
    /** Seconds; default 3 for catalog reads, 30 for journeys (see warmupOf). */
    warmup: { type: 'string' },
    connections: { type: 'string', default: '50' },
    scenarios: { type: 'string' },
    json: { type: 'string' },
    existing: { type: 'boolean', default: false },
    /** API processes (`merx start --workers`); above 1 needs PostgreSQL. */
    workers: { type: 'string', default: '1' },
  },
});

function positiveInt(name: string, value: string | undefined, max: number): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed < 0 || parsed > max)
    throw new Error(`--${name} must be 0..${max}`);
  return parsed;
}

const products = positiveInt('products', args.products, 200_000);
const duration = positiveInt('duration', args.duration, 600);
const warmupOverride = args.warmup === undefined ? null : positiveInt('warmup', args.warmup, 600);
/**
 * Journeys write: their tables start empty, and the plans PostgreSQL caches per connection are
 * only as good as the statistics of the moment (see analyzeBenchDatabase). Thirty seconds leave
 * hundreds of carts and orders for the ANALYZE that follows, and V8 time to optimise the hot code.
 */
const warmupOf = (scenario: Scenario) => warmupOverride ?? (isJourney(scenario) ? 30 : 3);
const connections = positiveInt('connections', args.connections, 1000);
const workers = Math.max(1, positiveInt('workers', args.workers, 64));
const chosen = args.scenarios
  ? args.scenarios.split(',').map((name) => {
      const found = scenarios.find((scenario) => scenario.name === name.trim());
      if (!found)
        throw new Error(`unknown scenario ${name}; known: ${scenarios.map((s) => s.name).join(', ')}`);
      return found;
    })
  : scenarios;

async function connect(server: ServerProcess, secretKey: string): Promise<BenchTarget> {
  const get = async <T>(path: string, key: string): Promise<T> => {
    const response = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
    if (!response.ok) throw new Error(`GET ${path} → ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  const channels = await get<{
    data: Array<{ id: string; kind: string; metadata: Record<string, unknown> }>;
  }>('/admin/v1/channels', secretKey);
  const web =
    channels.data.find((channel) => channel.metadata.demo === 'web') ??
    channels.data.find((c) => c.kind === 'web');
  if (!web) throw new Error('no web channel: did the seed run?');
  const keys = await get<{
    data: Array<{ channel_id: string | null; token?: string; revoked_at: string | null }>;
  }>('/admin/v1/keys', secretKey);
  const publishableKey = keys.data.find((key) => key.channel_id === web.id && !key.revoked_at)?.token;
  if (!publishableKey) throw new Error('the web channel has no publishable key');
  return {
    baseUrl: server.baseUrl,
    publishableKey,
    secretKey,
    store: (path) => get(path, publishableKey),
  };
}

const fmt = (value: number, digits = 0) => value.toLocaleString('en-GB', { maximumFractionDigits: digits });
const cpuText = ({ serverMs, databaseMs }: { serverMs: number; databaseMs: number }) =>
  `${fmt(serverMs + databaseMs, 2)} (${fmt(serverMs, 2)} + ${fmt(databaseMs, 2)})`;

async function main() {
  const database = args.existing
    ? existingBenchDatabase(process.env.DATABASE_URL, process.env.MERX_DATA_DIR)
    : await createBenchDatabase(process.env.DATABASE_URL);
  let server: ServerProcess | null = null;
  let revokeKey: () => Promise<void> = async () => {};
  const cleanup = async () => {
    await server?.stop();
    if (args.existing) await revokeKey();
    await database.drop();
  };
  process.once('SIGINT', () => void cleanup().finally(() => process.exit(130)));

  const results: Array<{
    scenario: string;
    description: string;
    load: LoadResult;
    peakRssMb: number | null;
    /** 1-minute load average after the run: other work on the machine skews the figures. */
    loadAverage: number;
    /** CPU ms per completed request: server process, database backends (PostgreSQL only). */
    cpuPerRequest: { serverMs: number; databaseMs: number };
    /** Journey scenarios: completed journeys (orders) and the CPU each cost, server + database. */
    journeys?: JourneyResult['journeys'] & { cpuMsEach: number };
  }> = [];
  let seedSeconds = 0;
  let idleRssMb: number | null = null;
  try {
    console.log(`Merx benchmark: ${database.label}${args.existing ? '' : `, ${fmt(products)} products`}`);
    console.log(
      `${cpus().length} CPU(s) (${cpus()[0]?.model ?? 'unknown'}), ${fmt(totalmem() / 2 ** 30, 1)} GiB RAM, Node ${process.version}`,
    );
    if (!args.existing) {
      const seedStarted = Date.now();
      await runMerx(['seed', '--products', String(products)], database.env, 60 * 60_000);
      seedSeconds = (Date.now() - seedStarted) / 1000;
      console.log(`Seeded in ${fmt(seedSeconds, 1)} s`);
    }

    // A key of its own (revoked afterwards), so the bench also works on an existing database.
    const created = await runMerx(
      ['keys', 'create-secret', '--scopes', '*', '--name', 'bench'],
      database.env,
      120_000,
    );
    const [, keyId, secretKey] = /^(key_\w+)\s.*(sk_\S+)$/m.exec(created) ?? [];
    if (!keyId || !secretKey) throw new Error('could not create a secret key for the benchmark');
    revokeKey = () => runMerx(['keys', 'revoke', keyId], database.env, 120_000).then(() => {});
    server = await startServerProcess(database.env, { readyTimeoutMs: 120_000, workers });
    idleRssMb = server.memory()?.rssMb ?? null;
    const target = await connect(server, secretKey);
    const headers = { authorization: `Bearer ${target.publishableKey}` };
    const meter = cpuMeter(server.child.pid as number, database.name);

    for (const scenario of chosen) {
      let measure: () => Promise<LoadResult | JourneyResult>;
      if (isJourney(scenario)) {
        const { drive } = await scenario.prepare(target);
        if (warmupOf(scenario) > 0) await drive({ durationS: warmupOf(scenario), connections });
        await analyzeBenchDatabase(database);
        measure = () => drive({ durationS: duration, connections });
      } else {
        const mix = await scenario.prepare(target);
        const options = { url: target.baseUrl, connections, ...mix, headers: { ...headers, ...mix.headers } };
        if (warmupOf(scenario) > 0) await runLoad({ ...options, duration: warmupOf(scenario) });
        await analyzeBenchDatabase(database);
        measure = () => runLoad({ ...options, duration, title: scenario.name });
      }
      meter.start();
      const load = await measure();
      const cpu = meter.stop();
      const perRequest = (ms: number) => (load.total > 0 ? ms / load.total : 0);
      const cpuPerRequest = { serverMs: perRequest(cpu.serverMs), databaseMs: perRequest(cpu.databaseMs) };
      const peakRssMb = server.memory()?.peakMb ?? null;
      const loadAverage = loadavg()[0] ?? 0;
      const journeys = 'journeys' in load ? load.journeys : null;
      results.push({
        scenario: scenario.name,
        description: scenario.description,
        load,
        peakRssMb,
        loadAverage,
        cpuPerRequest,
        ...(journeys
          ? {
              journeys: {
                ...journeys,
                cpuMsEach: journeys.total > 0 ? (cpu.serverMs + cpu.databaseMs) / journeys.total : 0,
              },
            }
          : {}),
      });
      console.log(
        `${scenario.name.padEnd(18)} ${fmt(load.requestsPerSecond).padStart(7)} req/s  p50 ${fmt(load.p50Ms, 1).padStart(5)} ms  p99 ${fmt(load.p99Ms, 1).padStart(5)} ms  errors ${load.errors}  non-2xx ${load.non2xx}  peak RSS ${peakRssMb === null ? 'n/a' : `${fmt(peakRssMb)} MB`}  load avg ${fmt(loadAverage, 1)}  CPU/req ${cpuText(cpuPerRequest)}`,
      );
      if ('steps' in load)
        for (const { step, count, p50Ms, p99Ms } of load.steps)
          console.log(
            `${''.padEnd(18)} ${step.padEnd(44)} n ${String(count).padStart(5)}  p50 ${fmt(p50Ms, 1).padStart(6)} ms  p99 ${fmt(p99Ms, 1).padStart(6)} ms`,
          );
      if (journeys)
        console.log(
          `${''.padEnd(18)} ${fmt(journeys.perSecond, 1).padStart(7)} ${journeys.label}/s  ${journeys.label} p50 ${fmt(journeys.p50Ms)} ms  p99 ${fmt(journeys.p99Ms)} ms  (${journeys.total} ${journeys.label}, CPU ms each ${fmt((cpu.serverMs + cpu.databaseMs) / Math.max(1, journeys.total), 1)})`,
        );
    }
  } finally {
    await cleanup();
  }

  console.log(
    `\n| scenario | req/s | p50 ms | p99 ms | errors | non-2xx | server peak RSS | load avg | CPU ms/req (server + db) | req/s per 2 idle cores |`,
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const { scenario, load, peakRssMb, loadAverage, cpuPerRequest } of results) {
    const cpuMs = cpuPerRequest.serverMs + cpuPerRequest.databaseMs;
    console.log(
      `| ${scenario} | ${fmt(load.requestsPerSecond)} | ${fmt(load.p50Ms, 1)} | ${fmt(load.p99Ms, 1)} | ${load.errors} | ${load.non2xx} | ${peakRssMb === null ? 'n/a' : `${fmt(peakRssMb)} MB`} | ${fmt(loadAverage, 1)} | ${cpuText(cpuPerRequest)} | ${cpuMs > 0 ? fmt(2000 / cpuMs) : 'n/a'} |`,
    );
  }
  const journeyRows = results.filter((result) => result.journeys);
  if (journeyRows.length > 0) {
    console.log(
      '\n| scenario | journeys/s | journey p50 ms | journey p99 ms | CPU ms per journey | journeys/s per 2 idle cores |',
    );
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const { scenario, journeys } of journeyRows) {
      if (!journeys) continue;
      console.log(
        `| ${scenario} (${journeys.label}) | ${fmt(journeys.perSecond, 1)} | ${fmt(journeys.p50Ms)} | ${fmt(journeys.p99Ms)} | ${fmt(journeys.cpuMsEach, 1)} | ${journeys.cpuMsEach > 0 ? fmt(2000 / journeys.cpuMsEach, 1) : 'n/a'} |`,
      );
    }
  }
  console.log(
    `\nserver RSS after start: ${idleRssMb === null ? 'n/a' : `${fmt(idleRssMb)} MB`}; ${connections} connections, ${workers} API process(es), ${duration} s per scenario after ${chosen.map((scenario) => `${warmupOf(scenario)}`).join('/')} s warm-up and ANALYZE`,
  );
  if (args.json) {
    writeFileSync(
      args.json,
      JSON.stringify(
        {
          database: database.kind,
          products,
          connections,
          duration,
          warmup: chosen.map(warmupOf),
          seedSeconds,
          idleRssMb,
          results,
        },
        null,
        2,
      ),
    );
  }
  const failed = results.some(({ load }) => load.errors > 0 || load.non2xx > 0);
  process.exitCode = failed ? 1 : 0;
}

await main();
