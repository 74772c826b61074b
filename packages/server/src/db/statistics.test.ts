import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';
import { staleStatisticsWarning } from './statistics.js';

describe('the start-up warning about stale statistics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.close());

  it('speaks exactly when PostgreSQL runs with autovacuum off (never for the embedded database)', async () => {
    const warning = await staleStatisticsWarning(server.database);
    if (server.database.kind === 'pglite') {
      expect(warning).toBeNull();
      return;
    }
    const { rows } = await sql<{ autovacuum: string }>`SHOW autovacuum`.execute(server.db);
    if (rows[0]?.autovacuum === 'off') expect(warning).toMatch(/autovacuum off.*ANALYZE/);
    else expect(warning).toBeNull();
  });
});
