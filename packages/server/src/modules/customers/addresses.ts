import type { Executor, Tx } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { staleVersion } from '../../http/concurrency.js';
import { invalid, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { isCountryCode } from './countries.js';
import type { CustomerAddressRow } from './tables.js';

/** Enough for any household; stops a script from filling the table through one account. */
export const MAX_ADDRESSES_PER_CUSTOMER = 50;

export interface AddressInput {
  first_name?: string | null;
  last_name?: string | null;
  company?: string | null;
  line1: string;
  line2?: string | null;
  city: string;
  postal_code?: string | null;
  region?: string | null;
  country: string;
  phone?: string | null;
  is_default_shipping?: boolean;
  is_default_billing?: boolean;
}

function checkCountry(country: string | undefined): void {
  if (country !== undefined && !isCountryCode(country)) {
    throw invalid('Unknown country', [
      { field: '/body/country', message: 'is not an ISO 3166-1 alpha-2 country code' },
    ]);
  }
}

/**
 * Serialises address writes of one customer (the count limit and the single-default rule
 * would otherwise race) and proves the customer still exists.
 */
async function lockCustomer(tx: Tx, customerId: string): Promise<void> {
  const row = await tx
    .selectFrom('customers')
    .select('id')
    .where('id', '=', customerId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw notFound('Customer', customerId);
}

/** A new default takes the flag away from the previous one. */
async function clearDefaults(
  tx: Tx,
  customerId: string,
  flags: { is_default_shipping?: boolean; is_default_billing?: boolean },
): Promise<void> {
  if (flags.is_default_shipping) {
    await tx
      .updateTable('customer_addresses')
      .set({ is_default_shipping: false })
      .where('customer_id', '=', customerId)
      .where('is_default_shipping', '=', true)
      .execute();
  }
  if (flags.is_default_billing) {
    await tx
      .updateTable('customer_addresses')
      .set({ is_default_billing: false })
      .where('customer_id', '=', customerId)
      .where('is_default_billing', '=', true)
      .execute();
  }
}

export async function listAddresses(db: Executor, customerId: string): Promise<CustomerAddressRow[]> {
  return db
    .selectFrom('customer_addresses')
    .selectAll()
    .where('customer_id', '=', customerId)
    .orderBy('id')
    .execute();
}

/** Another customer's address is "not found", exactly like one that never existed. */
export async function getAddress(db: Executor, customerId: string, id: string): Promise<CustomerAddressRow> {
  const row = await db
    .selectFrom('customer_addresses')
    .selectAll()
    .where('id', '=', id)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  if (!row) throw notFound('Address', id);
  return row;
}

export async function createAddress(
  db: Executor,
  customerId: string,
  input: AddressInput,
): Promise<CustomerAddressRow> {
  checkCountry(input.country);
  return inTransaction(db, async (tx) => {
    await lockCustomer(tx, customerId);
    const { count } = await tx
      .selectFrom('customer_addresses')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('customer_id', '=', customerId)
      .executeTakeFirstOrThrow();
    if (Number(count) >= MAX_ADDRESSES_PER_CUSTOMER) {
      throw invalid(
        `A customer can keep at most ${MAX_ADDRESSES_PER_CUSTOMER} addresses; delete one first`,
        [],
        'address_limit_reached',
      );
    }
    await clearDefaults(tx, customerId, input);
    return tx
      .insertInto('customer_addresses')
      .values({
        id: newId('cadr'),
        customer_id: customerId,
        first_name: input.first_name ?? null,
        last_name: input.last_name ?? null,
        company: input.company ?? null,
        line1: input.line1,
        line2: input.line2 ?? null,
        city: input.city,
        postal_code: input.postal_code ?? null,
        region: input.region ?? null,
        country: input.country,
        phone: input.phone ?? null,
        is_default_shipping: input.is_default_shipping ?? false,
        is_default_billing: input.is_default_billing ?? false,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}

export async function updateAddress(
  db: Executor,
  customerId: string,
  id: string,
  patch: Partial<AddressInput>,
  expectedVersion: number | null,
): Promise<CustomerAddressRow> {
  checkCountry(patch.country);
  return inTransaction(db, async (tx) => {
    await lockCustomer(tx, customerId);
    const current = await getAddress(tx, customerId, id);
    if (expectedVersion !== null && expectedVersion !== current.version)
      throw staleVersion(presentAddress(current));
    await clearDefaults(tx, customerId, patch);
    const row = await tx
      .updateTable('customer_addresses')
      .set({ ...patch, version: current.version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .where('customer_id', '=', customerId)
      .returningAll()
      .executeTakeFirstOrThrow();
    return row;
  });
}

export async function deleteAddress(db: Executor, customerId: string, id: string): Promise<void> {
  const result = await db
    .deleteFrom('customer_addresses')
    .where('id', '=', id)
    .where('customer_id', '=', customerId)
    .executeTakeFirst();
  if (result.numDeletedRows === 0n) throw notFound('Address', id);
}

export function presentAddress(row: CustomerAddressRow) {
  return {
    id: row.id,
    first_name: row.first_name,
    last_name: row.last_name,
    company: row.company,
    line1: row.line1,
    line2: row.line2,
    city: row.city,
    postal_code: row.postal_code,
    region: row.region,
    country: row.country,
    phone: row.phone,
    is_default_shipping: row.is_default_shipping,
    is_default_billing: row.is_default_billing,
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}
