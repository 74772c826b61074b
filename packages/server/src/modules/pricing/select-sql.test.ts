import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, unique } from '../../../test/harness.js';
import { selectPrice } from './select.js';
import { priceVariants, toCandidate } from './service.js';
import { selectedPriceSubquery, selectedPricesOfAllVariants } from './sql.js';
import type { PriceRow } from './tables.js';

let server: TestServer;
let channels: [string, string];
let variantId: string;
beforeAll(async () => {
  server = await startTestServer();
  const a = await server.newChannel({ currencies: ['EUR', 'USD'] });
  const b = await server.newChannel({ currencies: ['EUR', 'USD'] });
  channels = [a.id, b.id];
  const product = await server.admin('POST', '/admin/v1/products', {
    handle: unique('p'),
    title: 'P',
    variants: [{ sku: unique('SKU') }],
  });
  variantId = product.json().variants[0].id;
});
afterAll(() => server.close());

const NOW_MS = Date.parse('2030-06-01T12:00:00Z');
const HOUR = 3_600_000;

describe('the SQL price selection', () => {
  it('picks exactly what selectPrice picks, per variant and for all variants at once', async () => {
    const candidate = fc.record({
      amount: fc.nat({ max: 100_000 }),
      currency: fc.constantFrom('EUR', 'USD'),
      channel: fc.constantFrom(null, 0, 1),
      customer_group_id: fc.constantFrom(null, 'grp_1', 'grp_2'),
      segment_id: fc.constantFrom(null, 'seg_1', 'seg_2'),
      min_quantity: fc.integer({ min: 1, max: 5 }),
      start: fc.option(fc.integer({ min: -3, max: 3 })),
      length: fc.option(fc.integer({ min: 1, max: 4 })),
    });
    // The unique index forbids two prices with the same scope, tier and start.
    const scopeKey = (c: {
      currency: string;
      channel: number | null;
      customer_group_id: string | null;
      segment_id: string | null;
      min_quantity: number;
      start: number | null;
    }) => JSON.stringify([c.currency, c.channel, c.customer_group_id, c.segment_id, c.min_quantity, c.start]);
    const scenario = fc.record({
      candidates: fc.uniqueArray(candidate, { maxLength: 10, selector: scopeKey }),
      currency: fc.constantFrom('EUR', 'USD'),
      channel: fc.constantFrom(0, 1),
      customerGroupIds: fc.subarray(['grp_1', 'grp_2']),
      segmentIds: fc.subarray(['seg_1', 'seg_2']),
      quantity: fc.integer({ min: 1, max: 6 }),
      now: fc.integer({ min: -4, max: 8 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        await server.db.deleteFrom('prices').where('variant_id', '=', variantId).execute();
        const rows = s.candidates.map((c, index) => {
          const startsAt = c.start === null ? null : new Date(NOW_MS + c.start * HOUR);
          const endsAt =
            c.length === null ? null : new Date((startsAt?.getTime() ?? NOW_MS) + c.length * HOUR);
          return {
            id: `price_${String(index).padStart(3, '0')}`,
            variant_id: variantId,
            currency: c.currency,
            amount: c.amount,
            channel_id: c.channel === null ? null : channels[c.channel],
            customer_group_id: c.customer_group_id,
            segment_id: c.segment_id,
            min_quantity: c.min_quantity,
            starts_at: startsAt,
            ends_at: endsAt,
          };
        });
        if (rows.length) await server.db.insertInto('prices').values(rows).execute();
        const stored = await server.db
          .selectFrom('prices')
          .selectAll()
          .where('variant_id', '=', variantId)
          .execute();
        const context = {
          currency: s.currency,
          channelId: channels[s.channel],
          customerGroupIds: s.customerGroupIds,
          segmentIds: s.segmentIds,
          quantity: s.quantity,
          now: new Date(NOW_MS + s.now * HOUR),
        };
        const expected = selectPrice(stored.map(toCandidate), context);
        const fromSql = await sql<{
          id: string;
        }>`${selectedPriceSubquery(sql.lit(variantId), context)}`.execute(server.db);
        expect(fromSql.rows[0]?.id ?? null).toBe(expected?.id ?? null);
        const allVariants = await sql<{
          id: string;
        }>`SELECT id FROM (${selectedPricesOfAllVariants(context)}) s
          WHERE s.variant_id = ${variantId}`.execute(server.db);
        expect(allVariants.rows[0]?.id ?? null).toBe(expected?.id ?? null);
        const fromService = await priceVariants(server.db, { ...context, variantIds: [variantId] });
        expect(fromService.get(variantId)?.priceId ?? null).toBe(expected?.id ?? null);
      }),
      { numRuns: 60 },
    );
  });

  it('parses bigint amounts as numbers', async () => {
    await server.db.deleteFrom('prices').where('variant_id', '=', variantId).execute();
    await server.admin('POST', `/admin/v1/variants/${variantId}/prices`, {
      currency: 'EUR',
      amount: 999_999_999_999,
    });
    const row = (await server.db
      .selectFrom('prices')
      .selectAll()
      .where('variant_id', '=', variantId)
      .executeTakeFirst()) as PriceRow;
    expect(row.amount).toBe(999_999_999_999);
    const over = await server.admin('POST', `/admin/v1/variants/${variantId}/prices`, {
      currency: 'USD',
      amount: 1_000_000_000_001,
    });
    expect(over.statusCode).toBe(400);
  });
});
