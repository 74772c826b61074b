import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { staleVersion } from '../../http/concurrency.js';
import { invalid, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { activeOptionsOfRegion, forgetShippingConfig } from './memo.js';
import { priceShippingOption, type ShippingOption } from './rates.js';
import type { ShippingOptionRow, StoredWeightBracket } from './tables.js';

export type ShippingOptionInput =
  | { region_id: string; name: string; kind: 'flat'; amount: number; active?: boolean }
  | {
      region_id: string;
      name: string;
      kind: 'free_over';
      amount: number;
      threshold: number;
      active?: boolean;
    }
  | {
      region_id: string;
      name: string;
      kind: 'weight';
      weight_brackets: StoredWeightBracket[];
      active?: boolean;
    };

export interface ShippingOptionPatch {
  name?: string;
  active?: boolean;
  amount?: number;
  threshold?: number;
  weight_brackets?: StoredWeightBracket[];
}

/** The pure pricing function's view of a stored option. */
export function toRateOption(row: ShippingOptionRow, currency: string): ShippingOption {
  const base = { id: row.id, name: row.name, currency };
  switch (row.kind) {
    case 'flat':
      return { ...base, kind: 'flat', amount: row.amount ?? 0 };
    case 'free_over':
      return { ...base, kind: 'free_over', amount: row.amount ?? 0, threshold: row.threshold ?? 0 };
    case 'weight':
      return {
        ...base,
        kind: 'weight',
        weightBrackets: (row.weight_brackets ?? []).map((b) => ({
          upToGrams: b.up_to_grams,
          amount: b.amount,
        })),
      };
  }
}

function checkBrackets(brackets: StoredWeightBracket[] | undefined): void {
  if (!brackets) return;
  const bounds = brackets.map((b) => b.up_to_grams);
  const duplicate = bounds.findIndex((bound, i) => bounds.indexOf(bound) !== i);
  if (duplicate >= 0) {
    throw invalid('Two weight brackets share an upper bound', [
      {
        field: `/body/weight_brackets/${duplicate}/up_to_grams`,
        message: 'repeats an earlier bracket’s bound',
      },
    ]);
  }
}

async function regionCurrency(db: Executor, regionId: string): Promise<string> {
  const region = await db
    .selectFrom('regions')
    .select('currency')
    .where('id', '=', regionId)
    .executeTakeFirst();
  if (!region)
    throw invalid('Unknown region', [
      { field: '/body/region_id', message: `region ${regionId} does not exist` },
    ]);
  return region.currency;
}

export async function createShippingOption(
  db: Executor,
  input: ShippingOptionInput,
): Promise<ShippingOptionRow> {
  await regionCurrency(db, input.region_id);
  if (input.kind === 'weight') checkBrackets(input.weight_brackets);
  forgetShippingConfig();
  return db
    .insertInto('shipping_options')
    .values({
      id: newId('ship'),
      region_id: input.region_id,
      name: input.name,
      kind: input.kind,
      amount: input.kind === 'weight' ? null : input.amount,
      threshold: input.kind === 'free_over' ? input.threshold : null,
      weight_brackets: input.kind === 'weight' ? (JSON.stringify(input.weight_brackets) as never) : null,
      active: input.active ?? true,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getShippingOption(db: Executor, id: string): Promise<ShippingOptionRow> {
  const row = await db.selectFrom('shipping_options').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Shipping option', id);
  return row;
}

export async function listShippingOptions(
  db: Executor,
  input: { limit: number; after: string | null; regionId?: string },
): Promise<ShippingOptionRow[]> {
  let query = db.selectFrom('shipping_options').selectAll();
  if (input.regionId) query = query.where('region_id', '=', input.regionId);
  if (input.after) query = query.where('id', '>', input.after);
  return query
    .orderBy('id')
    .limit(input.limit + 1)
    .execute();
}

export async function updateShippingOption(
  db: Executor,
  id: string,
  patch: ShippingOptionPatch,
  expectedVersion: number | null,
): Promise<ShippingOptionRow> {
  const current = await getShippingOption(db, id);
  if (expectedVersion !== null && expectedVersion !== current.version)
    throw staleVersion(presentShippingOption(current));
  // Fields that do not belong to the option's kind would break its pricing: refuse them by name.
  const foreign = (
    [
      ['amount', current.kind === 'weight'],
      ['threshold', current.kind !== 'free_over'],
      ['weight_brackets', current.kind !== 'weight'],
    ] as const
  ).filter(([field, refused]) => refused && patch[field] !== undefined);
  if (foreign.length > 0) {
    throw invalid(
      `Not a field of a ${current.kind} option`,
      foreign.map(([field]) => ({
        field: `/body/${field}`,
        message: `does not apply to kind ${current.kind}`,
      })),
    );
  }
  checkBrackets(patch.weight_brackets);
  forgetShippingConfig();
  const row = await db
    .updateTable('shipping_options')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(patch.amount !== undefined ? { amount: patch.amount } : {}),
      ...(patch.threshold !== undefined ? { threshold: patch.threshold } : {}),
      ...(patch.weight_brackets !== undefined
        ? { weight_brackets: JSON.stringify(patch.weight_brackets) as never }
        : {}),
      version: current.version + 1,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw staleVersion(presentShippingOption(await getShippingOption(db, id)));
  return row;
}

export async function deleteShippingOption(db: Executor, id: string): Promise<void> {
  forgetShippingConfig();
  const result = await db.deleteFrom('shipping_options').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('Shipping option', id);
}

export interface ShippingQuote {
  option: ShippingOptionRow;
  currency: string;
  amount: number;
}

/**
 * The active options of a region that can serve this cart, each priced by the pure
 * `priceShippingOption`: options in another currency than the cart's, or whose weight
 * brackets stop below the cart's weight, are left out. `cached`: as for `resolveTaxRule`.
 */
export async function quoteShippingOptions(
  db: Executor,
  input: { regionId: string; currency: string; subtotalAfterDiscounts: number; totalWeightGrams: number },
  options: { cached?: boolean } = {},
): Promise<ShippingQuote[]> {
  const load = () =>
    db
      .selectFrom('shipping_options')
      .innerJoin('regions', 'regions.id', 'shipping_options.region_id')
      .selectAll('shipping_options')
      .select('regions.currency')
      .where('shipping_options.region_id', '=', input.regionId)
      .where('shipping_options.active', '=', true)
      .orderBy('shipping_options.id')
      .execute();
  const rows = options.cached ? await activeOptionsOfRegion.read(input.regionId, load) : await load();
  const quotes: ShippingQuote[] = [];
  for (const { currency, ...row } of rows) {
    const amount = priceShippingOption(toRateOption(row, currency), {
      subtotalAfterDiscounts: input.subtotalAfterDiscounts,
      totalWeightGrams: input.totalWeightGrams,
      currency: input.currency,
    });
    if (amount !== null) quotes.push({ option: row, currency, amount });
  }
  return quotes;
}

export function presentShippingOption(row: ShippingOptionRow) {
  return {
    id: row.id,
    region_id: row.region_id,
    name: row.name,
    kind: row.kind,
    amount: row.amount,
    threshold: row.threshold,
    weight_brackets: row.weight_brackets,
    active: row.active,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
