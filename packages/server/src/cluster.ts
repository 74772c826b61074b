import cluster from 'node:cluster';
import type { MerxConfig } from './config.js';
import { openDatabase } from './db/connection.js';
import { prepareDatabase, printBanner, serverUrl } from './server.js';

export const PGLITE_WORKERS_REFUSED =
  '--workers above 1 needs PostgreSQL (set DATABASE_URL): the embedded PGlite data directory can be opened by one process only. ' +
  'Run a single process, or point every worker at one PostgreSQL.';

/** `--workers` as a count, or an error message. */
export function parseWorkers(raw: string, config: Pick<MerxConfig, 'databaseUrl'>): number | string {
  const workers = Number(raw);
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > 256)
    return '--workers must be an integer from 1 to 256';
  if (workers > 1 && !config.databaseUrl) return PGLITE_WORKERS_REFUSED;
  return workers;
}

// A worker that dies this soon after it was started is failing to start (port taken,
// database down): restarting it in a loop would only hide that.
const CRASH_LOOP_MS = 5_000;

/**
 * The primary of `merx start --workers N`: migrates and bootstraps once, then forks N API
 * processes that share the port (node:cluster hands connections out round-robin). Live
 * streams work across them because every worker's event bus listens to PostgreSQL.
 * A worker that dies later is replaced; SIGTERM/SIGINT stop them all gracefully.
 */
export async function startCluster(
  config: MerxConfig,
  workers: number,
  options: { seedDemo: boolean; print?: (line: string) => void },
): Promise<void> {
  const print = options.print ?? ((line: string) => console.log(line));
  const database = await openDatabase(config);
  await prepareDatabase(database, config, { seedDemo: options.seedDemo }, print);
  await printBanner(database, serverUrl(config), print);
  await database.close();
  print(`Serving with ${workers} worker processes against one PostgreSQL`);

  const startedAt = new Map<number, number>();
  const fork = () => {
    const worker = cluster.fork();
    startedAt.set(worker.id, Date.now());
  };
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    if (Date.now() - (startedAt.get(worker.id) ?? 0) < CRASH_LOOP_MS) {
      print(`Worker ${worker.process.pid} failed to start (${signal ?? `exit ${code}`}); stopping`);
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      process.exitCode = 1;
      return;
    }
    print(`Worker ${worker.process.pid} died (${signal ?? `exit ${code}`}); starting a new one`);
    fork();
  });
  for (let i = 0; i < workers; i++) fork();

  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}
