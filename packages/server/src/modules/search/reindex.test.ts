import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMerx } from '../../../test/cli.js';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { importProducts } from '../catalog/import.js';
import { registerSearchCommands } from './cli.js';
import { reindexSearch } from './reindex.js';

let server: TestServer;
let key: string;
const word = `zyqorn${Date.now() % 1000}`;

const titles = async (q: string) => {
  const response = await server.store(key, 'GET', `/store/v1/search?q=${q}`);
  expect(response.statusCode, response.body).toBe(200);
  return response
    .json()
    .data.map((hit: { title: string }) => hit.title as string)
    .sort();
};

beforeAll(async () => {
  server = await startTestServer();
  const channel = await server.newChannel();
  key = channel.key;
  const report = await importProducts(
    server.db,
    ['Lamp', 'Chair', 'Table'].map((noun) => ({
      handle: unique('reindex'),
      title: `${word} ${noun}`,
      status: 'published',
      channels: [channel.id],
      variants: [{ sku: unique('RIX'), prices: [{ currency: 'EUR', amount: 1500 }] }],
    })),
  );
  expect(report.failed).toBe(0);
});
afterAll(() => server.close());

describe('merx search reindex', () => {
  it('rebuilds lost and stale documents from the catalog and drops orphans, through the CLI', async () => {
    expect(await titles(word)).toEqual([`${word} Chair`, `${word} Lamp`, `${word} Table`]);
    // What a restore or a load with triggers off leaves behind: a document missing, one stale,
    // and one for a product that no longer exists.
    await server.db.connection().execute(async (connection) => {
      await sql`SET session_replication_role = replica`.execute(connection);
      try {
        await sql`DELETE FROM search_documents WHERE title = ${`${word} Lamp`}`.execute(connection);
        await sql`UPDATE products SET title = ${`${word} Sofa`} WHERE title = ${`${word} Chair`}`.execute(
          connection,
        );
        await sql`DELETE FROM products WHERE title = ${`${word} Table`}`.execute(connection);
      } finally {
        await sql`SET session_replication_role = origin`.execute(connection);
      }
    });
    expect(await titles(word)).toEqual([`${word} Chair`, `${word} Table`]);

    const { output, failures } = await runMerx(server, [registerSearchCommands], ['search', 'reindex']);
    expect(failures).toEqual([]);
    expect(output).toMatch(/^Reindexed \d+ products in [\d.]+ s; removed 1 orphaned documents$/);
    expect(await titles(word)).toEqual([`${word} Lamp`, `${word} Sofa`]);

    const progress: number[] = [];
    const again = await reindexSearch(server.db, ({ done }) => progress.push(done), 1);
    expect(again.orphansRemoved).toBe(0);
    expect(progress.at(-1)).toBe(again.products);
    expect(progress.length).toBe(again.products + 1);
  });
});
