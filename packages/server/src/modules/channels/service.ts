import type { Executor } from '../../db/database.js';
import { staleVersion } from '../../http/concurrency.js';
import { invalid, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { forgetCachedKeys } from './keys.js';
import type { ChannelRow } from './tables.js';

export interface ChannelInput {
  name: string;
  kind: string;
  default_currency: string;
  currencies?: string[];
  locale?: string;
  head_profile?: 'full' | 'compact' | 'speakable';
  metadata?: Record<string, unknown>;
}

function checkCurrencies(defaultCurrency: string, currencies: string[]): void {
  if (!currencies.includes(defaultCurrency)) {
    throw invalid('The default currency must be one of the channel’s currencies', [
      { field: '/body/default_currency', message: `is not in currencies (${currencies.join(', ')})` },
    ]);
  }
}

export async function createChannel(db: Executor, input: ChannelInput): Promise<ChannelRow> {
  const currencies = input.currencies ?? [input.default_currency];
  checkCurrencies(input.default_currency, currencies);
  return db
    .insertInto('channels')
    .values({
      id: newId('chan'),
      name: input.name,
      kind: input.kind,
      default_currency: input.default_currency,
      currencies,
      locale: input.locale ?? 'en',
      head_profile: input.head_profile ?? 'full',
      metadata: JSON.stringify(input.metadata ?? {}) as never,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function getChannel(db: Executor, id: string): Promise<ChannelRow> {
  const row = await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Channel', id);
  return row;
}

export async function listChannels(db: Executor): Promise<ChannelRow[]> {
  return db.selectFrom('channels').selectAll().orderBy('id').execute();
}

export async function updateChannel(
  db: Executor,
  id: string,
  patch: Partial<ChannelInput>,
  expectedVersion: number | null,
): Promise<ChannelRow> {
  const current = await getChannel(db, id);
  if (expectedVersion !== null && expectedVersion !== current.version)
    throw staleVersion(presentChannel(current));
  checkCurrencies(patch.default_currency ?? current.default_currency, patch.currencies ?? current.currencies);
  const { metadata, ...rest } = patch;
  const row = await db
    .updateTable('channels')
    .set({
      ...rest,
      ...(metadata ? { metadata: JSON.stringify(metadata) as never } : {}),
      version: current.version + 1,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw staleVersion(presentChannel(await getChannel(db, id)));
  forgetCachedKeys();
  return row;
}

export async function deleteChannel(db: Executor, id: string): Promise<void> {
  const result = await db.deleteFrom('channels').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('Channel', id);
  forgetCachedKeys();
}

export function presentChannel(row: ChannelRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    default_currency: row.default_currency,
    currencies: row.currencies,
    locale: row.locale,
    head_profile: row.head_profile,
    metadata: row.metadata,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
