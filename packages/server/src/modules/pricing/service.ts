import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { staleVersion } from '../../http/concurrency.js';
import { conflict, type FieldError, invalid, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { isKnownCurrency, isMinorUnits } from '../../lib/money.js';
import { isForeignKeyViolation, isUniqueViolation } from '../catalog/db-errors.js';
import { getChannel } from '../channels/service.js';
import { emitEvent } from '../events/outbox.js';
import { type PriceCandidate, selectPrice } from './select.js';
import type { PriceRow } from './tables.js';

export interface PriceInput {
  currency: string;
  amount: number;
  channel_id?: string | null;
  customer_group_id?: string | null;
  segment_id?: string | null;
  min_quantity?: number;
  starts_at?: string | null;
  ends_at?: string | null;
}

/** Checks that need no database: the schema already enforced types and ranges on HTTP input. */
export function priceInputErrors(input: PriceInput, field: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!isKnownCurrency(input.currency) || input.currency !== input.currency.toUpperCase())
    errors.push({ field: `${field}/currency`, message: 'is not an ISO 4217 currency code' });
  if (!isMinorUnits(input.amount) || input.amount > 1_000_000_000_000)
    errors.push({ field: `${field}/amount`, message: 'must be a whole number of minor units, 0 or more' });
  const startsAt = input.starts_at ? Date.parse(input.starts_at) : null;
  const endsAt = input.ends_at ? Date.parse(input.ends_at) : null;
  if (startsAt !== null && Number.isNaN(startsAt))
    errors.push({ field: `${field}/starts_at`, message: 'is not a date-time' });
  if (endsAt !== null && Number.isNaN(endsAt))
    errors.push({ field: `${field}/ends_at`, message: 'is not a date-time' });
  if (startsAt !== null && endsAt !== null && !(startsAt < endsAt))
    errors.push({ field: `${field}/ends_at`, message: 'must be after starts_at' });
  return errors;
}

/** A channel-scoped price must name an existing channel that sells in its currency. */
export async function priceChannelErrors(
  db: Executor,
  entries: Array<{ price: PriceInput; field: string }>,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const currenciesByChannel = new Map<string, string[] | null>();
  for (const { price, field } of entries) {
    const channelId = price.channel_id;
    if (!channelId) continue;
    if (!currenciesByChannel.has(channelId)) {
      const channel = await getChannel(db, channelId).catch(() => null);
      currenciesByChannel.set(channelId, channel?.currencies ?? null);
    }
    const currencies = currenciesByChannel.get(channelId);
    if (!currencies) errors.push({ field: `${field}/channel_id`, message: 'is not a known channel' });
    else if (!currencies.includes(price.currency))
      errors.push({
        field: `${field}/currency`,
        message: `is not one of the channel's currencies (${currencies.join(', ')})`,
      });
  }
  return errors;
}

async function validatePrices(db: Executor, entries: Array<{ price: PriceInput; field: string }>) {
  const errors = entries.flatMap(({ price, field }) => priceInputErrors(price, field));
  errors.push(...(await priceChannelErrors(db, entries)));
  if (errors.length > 0) throw invalid('The price is not valid', errors);
}

const duplicatePrice = () =>
  conflict(
    'duplicate_price',
    'The variant already has a price with this currency, scope, tier and start; update that one instead',
  );

function toRow(variantId: string, price: PriceInput) {
  return {
    id: newId('price'),
    variant_id: variantId,
    currency: price.currency,
    amount: price.amount,
    channel_id: price.channel_id ?? null,
    customer_group_id: price.customer_group_id ?? null,
    segment_id: price.segment_id ?? null,
    min_quantity: price.min_quantity ?? 1,
    starts_at: price.starts_at ?? null,
    ends_at: price.ends_at ?? null,
  };
}

/**
 * Inserts many prices in one statement (rows travel as one JSON parameter, so a bulk
 * import never hits the 65,535-parameter limit). Callers validate first.
 */
export async function insertPrices(
  tx: Executor,
  entries: Array<{ variantId: string; price: PriceInput }>,
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map(({ variantId, price }) => toRow(variantId, price));
  try {
    await sql`INSERT INTO prices (id, variant_id, currency, amount, channel_id, customer_group_id,
        segment_id, min_quantity, starts_at, ends_at)
      SELECT id, variant_id, currency, amount, channel_id, customer_group_id, segment_id, min_quantity,
        starts_at, ends_at
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id text, variant_id text, currency text,
        amount bigint, channel_id text, customer_group_id text, segment_id text, min_quantity integer,
        starts_at timestamptz, ends_at timestamptz)`.execute(tx);
  } catch (error) {
    if (isUniqueViolation(error, 'prices_scope')) throw duplicatePrice();
    throw error;
  }
}

/** Replaces every price of the given variants (imports and nested writes state them in full). */
export async function replacePrices(
  tx: Executor,
  variantIds: string[],
  entries: Array<{ variantId: string; price: PriceInput }>,
): Promise<void> {
  if (variantIds.length > 0) await tx.deleteFrom('prices').where('variant_id', 'in', variantIds).execute();
  await insertPrices(tx, entries);
}

export async function listPricesOfVariants(db: Executor, variantIds: readonly string[]): Promise<PriceRow[]> {
  if (variantIds.length === 0) return [];
  return (
    db
      .selectFrom('prices')
      .selectAll()
      .where('variant_id', 'in', [...variantIds])
      .orderBy('variant_id')
      // IDs are time-ordered, so prices come back in the order they were written (exports keep it).
      .orderBy('id')
      .execute()
  );
}

export async function getPrice(db: Executor, id: string): Promise<PriceRow> {
  const row = await db.selectFrom('prices').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Price', id);
  return row;
}

async function emitPriceUpdated(tx: Executor, row: PriceRow, deleted = false): Promise<void> {
  await emitEvent(tx, {
    type: 'price.updated',
    resourceType: 'price',
    resourceId: row.id,
    channelId: row.channel_id,
    data: { variant_id: row.variant_id, deleted, price: presentPrice(row) },
  });
}

export async function createPrice(db: Executor, variantId: string, input: PriceInput): Promise<PriceRow> {
  await validatePrices(db, [{ price: input, field: '/body' }]);
  return inTransaction(db, async (tx) => {
    let row: PriceRow;
    try {
      row = await tx
        .insertInto('prices')
        .values(toRow(variantId, input) as never)
        .returningAll()
        .executeTakeFirstOrThrow();
    } catch (error) {
      if (isUniqueViolation(error, 'prices_scope')) throw duplicatePrice();
      if (isForeignKeyViolation(error, 'prices_variant_id_fkey')) throw notFound('Variant', variantId);
      throw error;
    }
    await emitPriceUpdated(tx, row);
    return row;
  });
}

export async function updatePrice(
  db: Executor,
  id: string,
  patch: Partial<PriceInput>,
  expectedVersion: number | null,
): Promise<PriceRow> {
  return inTransaction(db, async (tx) => {
    const current = await getPrice(tx, id);
    if (expectedVersion !== null && expectedVersion !== current.version)
      throw staleVersion(presentPrice(current));
    const merged: PriceInput = { ...presentPrice(current), ...patch };
    await validatePrices(tx, [{ price: merged, field: '/body' }]);
    const { id: _newId, variant_id: _variant, ...values } = toRow(current.variant_id, merged);
    let row: PriceRow | undefined;
    try {
      row = await tx
        .updateTable('prices')
        .set({ ...values, version: current.version + 1, updated_at: new Date() } as never)
        .where('id', '=', id)
        .where('version', '=', current.version)
        .returningAll()
        .executeTakeFirst();
    } catch (error) {
      if (isUniqueViolation(error, 'prices_scope')) throw duplicatePrice();
      throw error;
    }
    if (!row) throw staleVersion(presentPrice(await getPrice(tx, id)));
    await emitPriceUpdated(tx, row);
    return row;
  });
}

export async function deletePrice(db: Executor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await tx.deleteFrom('prices').where('id', '=', id).returningAll().executeTakeFirst();
    if (!row) throw notFound('Price', id);
    await emitPriceUpdated(tx, row, true);
  });
}

export function toCandidate(row: PriceRow): PriceCandidate {
  return {
    id: row.id,
    amount: row.amount,
    currency: row.currency,
    channelId: row.channel_id,
    customerGroupId: row.customer_group_id,
    segmentId: row.segment_id,
    minQuantity: row.min_quantity,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
  };
}

export interface SelectedPrice {
  priceId: string;
  amount: number;
  currency: string;
}

export interface PriceVariantsInput {
  channelId: string;
  currency: string;
  variantIds: readonly string[];
  customerGroupIds?: readonly string[];
  segmentIds?: readonly string[];
  quantity?: number;
  now?: Date;
}

/** The price each variant sells at for this shopper; variants without one are absent. */
export async function priceVariants(
  db: Executor,
  input: PriceVariantsInput,
): Promise<Map<string, SelectedPrice>> {
  const result = new Map<string, SelectedPrice>();
  if (input.variantIds.length === 0) return result;
  const rows = await db
    .selectFrom('prices')
    .selectAll()
    .where('variant_id', 'in', [...input.variantIds])
    .where('currency', '=', input.currency)
    .where((eb) => eb.or([eb('channel_id', 'is', null), eb('channel_id', '=', input.channelId)]))
    .execute();
  const byVariant = new Map<string, PriceRow[]>();
  for (const row of rows) byVariant.set(row.variant_id, [...(byVariant.get(row.variant_id) ?? []), row]);
  const context = { ...input, now: input.now ?? new Date() };
  for (const [variantId, variantRows] of byVariant) {
    const winner = selectPrice(variantRows.map(toCandidate), context);
    if (winner)
      result.set(variantId, { priceId: winner.id, amount: winner.amount, currency: winner.currency });
  }
  return result;
}

export function presentPrice(row: PriceRow) {
  return {
    id: row.id,
    variant_id: row.variant_id,
    currency: row.currency,
    amount: row.amount,
    channel_id: row.channel_id,
    customer_group_id: row.customer_group_id,
    segment_id: row.segment_id,
    min_quantity: row.min_quantity,
    starts_at: row.starts_at?.toISOString() ?? null,
    ends_at: row.ends_at?.toISOString() ?? null,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
