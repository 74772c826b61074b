import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/db/connection.js';
import { prepareDatabase } from '../src/server.js';

const databaseUrl = process.env.DATABASE_URL || null;
const config = loadConfig(
  {},
  {
    databaseUrl,
    dataDir: 'memory://',
    databaseSchema: databaseUrl ? `t_${randomBytes(6).toString('hex')}` : null,
    logLevel: 'silent',
  },
);
const handles: DatabaseHandle[] = [];
afterAll(async () => {
  if (config.databaseSchema && handles[0])
    await sql.raw(`DROP SCHEMA "${config.databaseSchema}" CASCADE`).execute(handles[0].db);
  for (const handle of handles) await handle.close();
});

const firstRunState = async (handle: DatabaseHandle) => ({
  secretKeys: Number(
    (await sql<{ n: string }>`SELECT count(*) AS n FROM api_keys WHERE kind = 'secret'`.execute(handle.db))
      .rows[0]?.n,
  ),
  staff: Number(
    (await sql<{ n: string }>`SELECT count(*) AS n FROM staff_users`.execute(handle.db)).rows[0]?.n,
  ),
});

describe('first run', () => {
  it('creates one admin key and one owner, even when several nodes prepare a new database at once', async () => {
    // Nodes share PostgreSQL; the embedded PGlite belongs to one process, so there it is one node twice.
    const nodes = databaseUrl ? 3 : 1;
    for (let i = 0; i < nodes; i++) handles.push(await openDatabase(config));
    const printed: string[] = [];
    const prepare = (handle: DatabaseHandle) =>
      prepareDatabase(handle, config, { seedDemo: false }, (line) => printed.push(line));
    await Promise.all(handles.map(prepare));
    await prepare(handles[0] as DatabaseHandle);

    expect(await firstRunState(handles[0] as DatabaseHandle)).toEqual({ secretKeys: 1, staff: 1 });
    expect(printed.filter((line) => line.startsWith('Admin secret key'))).toHaveLength(1);
    expect(printed.filter((line) => line.startsWith('Dashboard owner'))).toHaveLength(1);
  });
});
