import { randomBytes } from 'node:crypto';
import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../test/harness.js';
import type { Executor } from './database.js';
import { anyOfTexts, literal, unplannedUnnest } from './plan-stable.js';
import { inTransaction } from './transaction.js';

let server: TestServer;
const ids = ['item-0001', 'item-0002', 'item-0003'];

beforeAll(async () => {
  server = await startTestServer();
  await sql`CREATE TABLE plan_items (id text PRIMARY KEY, kind text NOT NULL, status text NOT NULL)`.execute(
    server.db,
  );
  await sql`INSERT INTO plan_items
    SELECT 'item-' || lpad(n::text, 4, '0'), 'kind-' || (n % 1000), CASE WHEN n % 10 = 0 THEN 'active' ELSE 'done' END
    FROM generate_series(1, 5000) AS n`.execute(server.db);
  await sql`CREATE INDEX plan_items_active ON plan_items (kind) WHERE status = 'active'`.execute(server.db);
  await sql`ANALYZE plan_items`.execute(server.db);
});
afterAll(() => server.close());

/**
 * Prepares `statement` on one connection, runs it seven times (PostgreSQL decides between
 * custom and generic plans after five) and returns the plan the next execution would use.
 */
async function planAfterRepeats(statement: RawBuilder<unknown>, settings = sql``): Promise<string> {
  const compiled = statement.compile(server.db);
  const name = `probe_${randomBytes(4).toString('hex')}`;
  const args = sql.join(compiled.parameters.map((value) => sql.lit(literalText(value))));
  return inTransaction(server.db, async (tx: Executor) => {
    await settings.execute(tx);
    await sql.raw(`PREPARE ${name} AS ${compiled.sql}`).execute(tx);
    try {
      for (let run = 0; run < 7; run++) await sql`EXECUTE ${sql.raw(name)}(${args})`.execute(tx);
      const plan = await sql<{
        'QUERY PLAN': string;
      }>`EXPLAIN (VERBOSE) EXECUTE ${sql.raw(name)}(${args})`.execute(tx);
      return plan.rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await sql.raw(`DEALLOCATE ${name}`).execute(tx);
    }
  });
}

const literalText = (value: unknown) =>
  Array.isArray(value) ? `{${value.join(',')}}` : (value as string | number).toString();

describe('plans that stay cached', () => {
  it('keeps re-planning a plain = ANY($1) for its array, but re-uses the plan of anyOfTexts', async () => {
    const plain = await planAfterRepeats(sql`SELECT id FROM plan_items WHERE id = ANY(${ids}::text[])`);
    expect(plain).toContain("'{item-0001,item-0002,item-0003}'"); // planned for these values
    const stable = await planAfterRepeats(sql`SELECT id FROM plan_items WHERE id = ${anyOfTexts(ids)}`);
    expect(stable).toContain('$1'); // the generic plan, made once
    expect(stable).toContain('plan_items_pkey');
  });

  it('re-uses the plan of an UPDATE … FROM unplannedUnnest', async () => {
    const plain = await planAfterRepeats(
      sql`UPDATE plan_items AS p SET status = v.status
        FROM unnest(${ids}::text[], ${['done', 'done', 'done']}::text[]) AS v(id, status) WHERE p.id = v.id`,
    );
    expect(plain).toContain("'{item-0001,item-0002,item-0003}'");
    const values = unplannedUnnest([
      [ids, 'text'],
      [['done', 'done', 'done'], 'text'],
    ]);
    const stable = await planAfterRepeats(
      sql`UPDATE plan_items AS p SET status = v.status FROM ${values} AS v(id, status) WHERE p.id = v.id`,
    );
    expect(stable).toContain('$1');
    expect(stable).toContain('plan_items_pkey');
  });

  it('lets a generic plan use a partial index only when its predicate is a literal', async () => {
    const generic = sql`SET LOCAL plan_cache_mode = force_generic_plan`;
    const parameter = await planAfterRepeats(
      sql`SELECT id FROM plan_items WHERE kind = ${'kind-7'} AND status = ${'active'}`,
      generic,
    );
    expect(parameter).not.toContain('plan_items_active');
    const spelled = await planAfterRepeats(
      sql`SELECT id FROM plan_items WHERE kind = ${'kind-7'} AND status = ${literal('active')}`,
      generic,
    );
    expect(spelled).toContain('plan_items_active');
  });
});
