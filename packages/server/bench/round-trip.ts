import { parseArgs } from 'node:util';
import pg from 'pg';
import { cpuMeter } from './lib/cpu.js';
import { createBenchDatabase } from './lib/database.js';

/**
 * The floor under every SQL statement on this machine: `SELECT $1::int`, prepared once per
 * connection, run back to back by N clients for a few seconds. CPU of this process (the
 * driver's side) and of the database's backends, per statement. What a statement of the write
 * path costs beyond this is the statement's own work (docs/performance.md, "Write path").
 */
const { values: args } = parseArgs({
  options: {
    clients: { type: 'string', default: '16' },
    seconds: { type: 'string', default: '8' },
  },
});
const clients = Number(args.clients);
const seconds = Number(args.seconds);
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL must name a PostgreSQL server (loopback)');

const database = await createBenchDatabase(process.env.DATABASE_URL);
const pool = new pg.Pool({ connectionString: database.env.DATABASE_URL, max: clients });
try {
  await Promise.all(Array.from({ length: clients }, () => pool.query('SELECT 1')));
  const meter = cpuMeter(process.pid, database.name);
  let statements = 0;
  const until = Date.now() + seconds * 1000;
  meter.start();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      const client = await pool.connect();
      try {
        while (Date.now() < until) {
          await client.query({ name: 'round_trip', text: 'SELECT $1::int AS n', values: [statements] });
          statements++;
        }
      } finally {
        client.release();
      }
    }),
  );
  const { serverMs, databaseMs } = meter.stop();
  const micros = (ms: number) => ((ms * 1000) / statements).toFixed(0);
  console.log(
    `${clients} clients, ${seconds} s: ${Math.round(statements / seconds)} statements/s; ` +
      `CPU per statement ${micros(serverMs)} µs in the driver's process + ${micros(databaseMs)} µs in PostgreSQL`,
  );
} finally {
  await pool.end();
  await database.drop();
}
