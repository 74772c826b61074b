import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { staleVersion } from '../../http/concurrency.js';
import { conflict, type FieldError, invalid, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { isKnownCurrency } from '../../lib/money.js';
import { isCountryCode } from '../customers/countries.js';
import { forgetShippingConfig, regionByCountry } from './memo.js';
import type { RegionRow, TaxOverride } from './tables.js';

export interface RegionInput {
  name: string;
  currency: string;
  countries: string[];
  tax_rate_bps: number;
  tax_overrides?: TaxOverride[];
  tax_inclusive?: boolean;
}

export type Region = RegionRow & { countries: string[] };

function validate(input: RegionInput): void {
  const errors: FieldError[] = [];
  if (!isKnownCurrency(input.currency))
    errors.push({ field: '/body/currency', message: 'is not an ISO 4217 currency' });
  input.countries.forEach((country, i) => {
    if (!isCountryCode(country))
      errors.push({ field: `/body/countries/${i}`, message: `${country} is not an ISO 3166-1 country` });
  });
  const seen = new Set<string>();
  (input.tax_overrides ?? []).forEach((override, i) => {
    if (!input.countries.includes(override.country)) {
      errors.push({
        field: `/body/tax_overrides/${i}/country`,
        message: `${override.country} is not one of the region’s countries`,
      });
    }
    const key = `${override.country}/${override.province ?? ''}`;
    if (seen.has(key))
      errors.push({ field: `/body/tax_overrides/${i}`, message: 'duplicates an earlier override' });
    seen.add(key);
  });
  if (errors.length > 0) throw invalid('The region is not valid', errors);
}

/** Claims the countries for the region; a country already in another region is a 409. */
async function claimCountries(db: Executor, regionId: string, countries: string[]): Promise<void> {
  forgetShippingConfig();
  await db.deleteFrom('region_countries').where('region_id', '=', regionId).execute();
  if (countries.length === 0) return;
  const claimed = await db
    .insertInto('region_countries')
    .values(countries.map((country) => ({ country, region_id: regionId })))
    .onConflict((oc) => oc.column('country').doNothing())
    .returning('country')
    .execute();
  if (claimed.length !== countries.length) {
    const got = new Set(claimed.map((row) => row.country));
    const taken = countries.filter((country) => !got.has(country));
    throw conflict('country_in_other_region', `Already in another region: ${taken.join(', ')}`, {
      countries: taken,
    });
  }
}

async function withCountries(db: Executor, rows: RegionRow[]): Promise<Region[]> {
  if (rows.length === 0) return [];
  const links = await db
    .selectFrom('region_countries')
    .selectAll()
    .where(
      'region_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('country')
    .execute();
  return rows.map((row) => ({
    ...row,
    countries: links.filter((link) => link.region_id === row.id).map((link) => link.country),
  }));
}

export async function createRegion(db: Executor, input: RegionInput): Promise<Region> {
  validate(input);
  const row = await db
    .insertInto('regions')
    .values({
      id: newId('reg'),
      name: input.name,
      currency: input.currency,
      tax_rate_bps: input.tax_rate_bps,
      tax_overrides: JSON.stringify(input.tax_overrides ?? []) as never,
      tax_inclusive: input.tax_inclusive ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await claimCountries(db, row.id, input.countries);
  return { ...row, countries: [...input.countries].sort() };
}

export async function getRegion(db: Executor, id: string): Promise<Region> {
  const row = await db.selectFrom('regions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Region', id);
  return (await withCountries(db, [row]))[0] as Region;
}

export async function listRegions(
  db: Executor,
  input: { limit: number; after: string | null },
): Promise<Region[]> {
  let query = db.selectFrom('regions').selectAll();
  if (input.after) query = query.where('id', '>', input.after);
  return withCountries(
    db,
    await query
      .orderBy('id')
      .limit(input.limit + 1)
      .execute(),
  );
}

export async function updateRegion(
  db: Executor,
  id: string,
  patch: Partial<RegionInput>,
  expectedVersion: number | null,
): Promise<Region> {
  const current = await getRegion(db, id);
  if (expectedVersion !== null && expectedVersion !== current.version)
    throw staleVersion(presentRegion(current));
  const merged: RegionInput = {
    name: patch.name ?? current.name,
    currency: patch.currency ?? current.currency,
    countries: patch.countries ?? current.countries,
    tax_rate_bps: patch.tax_rate_bps ?? current.tax_rate_bps,
    tax_overrides: patch.tax_overrides ?? current.tax_overrides,
    tax_inclusive: patch.tax_inclusive ?? current.tax_inclusive,
  };
  validate(merged);
  forgetShippingConfig();
  if (merged.currency !== current.currency) {
    // Option amounts are in the region's currency; changing it would silently re-denominate them.
    const priced = await db
      .selectFrom('shipping_options')
      .select('id')
      .where('region_id', '=', id)
      .executeTakeFirst();
    if (priced)
      throw conflict(
        'region_has_options',
        'Delete or move the shipping options before changing the currency',
      );
  }
  const row = await db
    .updateTable('regions')
    .set({
      name: merged.name,
      currency: merged.currency,
      tax_rate_bps: merged.tax_rate_bps,
      tax_overrides: JSON.stringify(merged.tax_overrides) as never,
      tax_inclusive: merged.tax_inclusive,
      version: current.version + 1,
      updated_at: sql`now()`,
    })
    .where('id', '=', id)
    .where('version', '=', current.version)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw staleVersion(presentRegion(await getRegion(db, id)));
  if (patch.countries) await claimCountries(db, id, patch.countries);
  return getRegion(db, id);
}

export async function deleteRegion(db: Executor, id: string): Promise<void> {
  forgetShippingConfig();
  const result = await db.deleteFrom('regions').where('id', '=', id).executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('Region', id);
}

export interface TaxRule {
  regionId: string;
  currency: string;
  taxRateBps: number;
  taxInclusive: boolean;
}

/** Most specific wins: the province's override, then the country's, then the region's rate. */
export function taxRateFor(
  region: Pick<RegionRow, 'tax_rate_bps' | 'tax_overrides'>,
  country: string,
  province: string | null,
): number {
  const overrides = region.tax_overrides.filter((o) => o.country === country);
  const normalized = province?.trim().toUpperCase() || null;
  const forProvince = normalized
    ? overrides.find((o) => o.province?.toUpperCase() === normalized)
    : undefined;
  const forCountry = overrides.find((o) => o.province === null);
  return (forProvince ?? forCountry)?.tax_rate_bps ?? region.tax_rate_bps;
}

/**
 * The region and tax rule for a shipping address, or null when no region covers the country.
 * `cached`: a cart may use this node's copy of the regions (see ConfigMemo); checkout may not.
 */
export async function resolveTaxRule(
  db: Executor,
  address: { country: string; province?: string | null },
  options: { cached?: boolean } = {},
): Promise<TaxRule | null> {
  const country = address.country.toUpperCase();
  const load = async () =>
    (await db
      .selectFrom('region_countries')
      .innerJoin('regions', 'regions.id', 'region_countries.region_id')
      .selectAll('regions')
      .where('region_countries.country', '=', country)
      .executeTakeFirst()) ?? null;
  const row = options.cached ? await regionByCountry.read(country, load) : await load();
  if (!row) return null;
  return {
    regionId: row.id,
    currency: row.currency,
    taxRateBps: taxRateFor(row, address.country.toUpperCase(), address.province ?? null),
    taxInclusive: row.tax_inclusive,
  };
}

export function presentRegion(region: Region) {
  return {
    id: region.id,
    name: region.name,
    currency: region.currency,
    countries: region.countries,
    tax_rate_bps: region.tax_rate_bps,
    tax_overrides: region.tax_overrides,
    tax_inclusive: region.tax_inclusive,
    version: region.version,
    created_at: region.created_at.toISOString(),
    updated_at: region.updated_at.toISOString(),
  };
}
