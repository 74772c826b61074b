import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prepareStatements } from './prepared.js';

const databaseUrl = process.env.DATABASE_URL;

// Named statements are a PostgreSQL-server concern; the embedded database does not use them.
describe.runIf(databaseUrl)('prepared statements per connection', () => {
  let client: pg.Client;
  const schema = `prep_${randomBytes(4).toString('hex')}`;

  const prepared = async () =>
    (await client.query('SELECT statement FROM pg_prepared_statements ORDER BY prepare_time')).rows.map(
      (row: { statement: string }) => row.statement,
    );

  beforeEach(async () => {
    client = new pg.Client({ connectionString: databaseUrl, options: `-c search_path=${schema}` });
    await client.connect();
    await client.query(`CREATE SCHEMA ${schema}`);
    await client.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
    await client.query("INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, 'three')");
  });
  afterEach(async () => {
    await client.query(`DROP SCHEMA ${schema} CASCADE`);
    await client.end();
  });

  it('prepares a parameterised statement once and runs it again by name', async () => {
    prepareStatements(client);
    const text = 'SELECT name FROM items WHERE id = $1';
    expect((await client.query(text, [1])).rows).toEqual([{ name: 'one' }]);
    expect((await client.query(text, [2])).rows).toEqual([{ name: 'two' }]);
    expect(await prepared()).toEqual([text]);
    // Statements without parameters (BEGIN, COMMIT, migrations) are sent as they are.
    await client.query('SELECT count(*) FROM items', []);
    expect(await prepared()).toEqual([text]);
  });

  it('prepares and re-uses nothing from a planner setting to the end of its transaction', async () => {
    prepareStatements(client);
    const text = 'SELECT name FROM items WHERE id = $1';
    await client.query('BEGIN');
    await client.query("SELECT set_config('enable_seqscan', 'off', true)");
    await client.query(text, [1]);
    expect(await prepared()).toEqual([]);
    await client.query('COMMIT');
    await client.query(text, [1]);
    expect(await prepared()).toEqual([text]);
  });

  it('keeps only the most recently used statements, deallocating the others', async () => {
    prepareStatements(client, 2);
    const texts = [1, 2, 3].map((n) => `SELECT name FROM items WHERE id = $1 AND ${n} = ${n}`);
    await client.query(texts[0] as string, [1]);
    await client.query(texts[1] as string, [1]);
    await client.query(texts[0] as string, [1]);
    await client.query(texts[2] as string, [1]);
    expect((await prepared()).sort()).toEqual([texts[0], texts[2]].sort());
    // The evicted one prepares again when it is used again.
    expect((await client.query(texts[1] as string, [2])).rows).toEqual([{ name: 'two' }]);
  });

  it('drops a statement PostgreSQL refuses after a column was added, and prepares it afresh', async () => {
    prepareStatements(client);
    const text = 'SELECT * FROM items WHERE id = $1';
    expect((await client.query(text, [1])).rows).toEqual([{ id: 1, name: 'one' }]);
    await client.query('ALTER TABLE items ADD COLUMN colour text');
    await expect(client.query(text, [1])).rejects.toMatchObject({ code: '0A000' });
    expect((await client.query(text, [1])).rows).toEqual([{ id: 1, name: 'one', colour: null }]);
  });
});
