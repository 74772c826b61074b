import { type ExpressionBuilder, sql, type Updateable } from 'kysely';
import type { Database, Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { staleVersion } from '../../http/concurrency.js';
import type { StoreChannel } from '../../http/context.js';
import { decodeCursor, type PageResult, toPage } from '../../http/pagination.js';
import { ApiError, conflict, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { emitEvent } from '../events/outbox.js';
import { type CartMergeOutcome, mergeGuestCartAtLogin } from './cart-merge.js';
import { clearFailedLogins, isLocked, recordFailedLogin, tooManyAttempts } from './login-throttle.js';
import { assertPasswordPolicy, hashPassword, needsRehash, verifyPassword } from './passwords.js';
import { createSession } from './session.js';
import type { CustomerRow, CustomersTable } from './tables.js';

export interface RegisterInput {
  email: string;
  password: string;
  first_name?: string;
  last_name?: string;
  phone?: string;
  consent_personalisation?: boolean;
  consent_marketing?: boolean;
}

export interface ProfilePatch {
  first_name?: string | null;
  last_name?: string | null;
  phone?: string | null;
  consent_personalisation?: boolean;
  consent_marketing?: boolean;
  metadata?: Record<string, unknown>;
}

export interface Consent {
  personalisation: boolean;
  marketing: boolean;
}

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === '23505';

const emailTaken = () =>
  conflict('email_taken', 'An account with this email already exists; log in or reset the password', {
    errors: [{ field: '/body/email', message: 'is already registered' }],
  });

export async function registerCustomer(
  db: Executor,
  input: RegisterInput,
  context: { channelId: string },
): Promise<CustomerRow> {
  const email = input.email.trim();
  assertPasswordPolicy(input.password, '/body/password', email);
  // Hash before opening the transaction: ~45 ms of argon2 must not hold a connection.
  const passwordHash = await hashPassword(input.password);
  const now = new Date();
  try {
    return await inTransaction(db, async (tx) => {
      const row = await tx
        .insertInto('customers')
        .values({
          id: newId('cus'),
          email,
          password_hash: passwordHash,
          first_name: input.first_name ?? null,
          last_name: input.last_name ?? null,
          phone: input.phone ?? null,
          metadata: JSON.stringify({}) as never,
          consent_personalisation: input.consent_personalisation ?? false,
          consent_personalisation_updated_at: input.consent_personalisation === undefined ? null : now,
          consent_marketing: input.consent_marketing ?? false,
          consent_marketing_updated_at: input.consent_marketing === undefined ? null : now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await emitEvent(tx, {
        type: 'customer.created',
        resourceType: 'customer',
        resourceId: row.id,
        channelId: context.channelId,
        customerId: row.id,
        data: presentCustomer(row),
      });
      return row;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken();
    throw error;
  }
}

export const findCustomerByEmail = (db: Executor, email: string) =>
  db
    .selectFrom('customers')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();

const invalidCredentials = () => new ApiError(401, 'invalid_credentials', 'The email or password is wrong');

export interface LoginResult {
  token: string;
  expiresAt: Date;
  customer: CustomerRow;
  /** Present when the login named a guest cart to fold into the customer's cart. */
  cartMerge?: CartMergeOutcome;
}

/**
 * Checks the password and opens a session on the caller's channel. An unknown email and a
 * wrong password give the same 401 after about the same time (argon2 runs either way).
 * With `cart_id`, the guest cart is merged in the same transaction as the session.
 */
export async function login(
  db: Executor,
  input: { email: string; password: string; cart_id?: string },
  context: { channel: StoreChannel; userAgent?: string },
): Promise<LoginResult> {
  const customer = await findCustomerByEmail(db, input.email);
  if (customer && isLocked(customer.locked_until)) throw tooManyAttempts(customer.locked_until as Date);
  const ok = await verifyPassword(customer?.password_hash ?? null, input.password);
  if (!customer) throw invalidCredentials();
  if (!ok) {
    await recordFailedLogin(db, customer.id);
    throw invalidCredentials();
  }
  await clearFailedLogins(db, customer.id);
  if (needsRehash(customer.password_hash)) {
    const upgraded = await hashPassword(input.password);
    await db
      .updateTable('customers')
      .set({ password_hash: upgraded })
      .where('id', '=', customer.id)
      .execute();
  }
  return inTransaction(db, async (tx) => {
    const session = await createSession(tx, {
      customerId: customer.id,
      channelId: context.channel.id,
      userAgent: context.userAgent,
    });
    const cartMerge =
      input.cart_id === undefined
        ? undefined
        : await mergeGuestCartAtLogin(tx, {
            guestCartId: input.cart_id,
            customerId: customer.id,
            channel: context.channel,
          });
    return { token: session.token, expiresAt: session.expiresAt, customer, cartMerge };
  });
}

/** The full row, password hash included: for this module only. */
async function getCustomerRow(db: Executor, id: string): Promise<CustomerRow> {
  const row = await db.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw notFound('Customer', id);
  return row;
}

export type PublicCustomer = ReturnType<typeof presentCustomer>;

/**
 * A customer as other modules may show it (orders, admin views): the API shape, never the
 * password hash or login-throttle state. Unknown id: 404.
 */
export async function getCustomer(db: Executor, id: string): Promise<PublicCustomer> {
  return presentCustomer(await getCustomerRow(db, id));
}

/** What the customer agreed to; personalisation and marketing read this before acting. */
export async function getConsent(db: Executor, customerId: string): Promise<Consent> {
  const row = await db
    .selectFrom('customers')
    .select(['consent_personalisation', 'consent_marketing'])
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!row) throw notFound('Customer', customerId);
  return { personalisation: row.consent_personalisation, marketing: row.consent_marketing };
}

/** Consent timestamps move only when the choice changes, so they date the decision. */
export function consentChanges(
  current: Pick<
    CustomerRow,
    | 'consent_personalisation'
    | 'consent_personalisation_updated_at'
    | 'consent_marketing'
    | 'consent_marketing_updated_at'
  >,
  patch: Pick<ProfilePatch, 'consent_personalisation' | 'consent_marketing'>,
  now: Date,
): Updateable<CustomersTable> {
  const changes: Updateable<CustomersTable> = {};
  if (patch.consent_personalisation !== undefined) {
    changes.consent_personalisation = patch.consent_personalisation;
    if (
      patch.consent_personalisation !== current.consent_personalisation ||
      !current.consent_personalisation_updated_at
    )
      changes.consent_personalisation_updated_at = now;
  }
  if (patch.consent_marketing !== undefined) {
    changes.consent_marketing = patch.consent_marketing;
    if (patch.consent_marketing !== current.consent_marketing || !current.consent_marketing_updated_at)
      changes.consent_marketing_updated_at = now;
  }
  return changes;
}

export async function updateCustomer(
  db: Executor,
  id: string,
  patch: ProfilePatch,
  expectedVersion: number | null,
): Promise<CustomerRow> {
  return inTransaction(db, async (tx) => {
    const current = await getCustomerRow(tx, id);
    if (expectedVersion !== null && expectedVersion !== current.version)
      throw staleVersion(presentCustomer(current));
    const now = new Date();
    const { metadata, consent_personalisation: _p, consent_marketing: _m, ...names } = patch;
    const row = await tx
      .updateTable('customers')
      .set({
        ...names,
        ...consentChanges(current, patch, now),
        ...(metadata ? { metadata: JSON.stringify(metadata) as never } : {}),
        version: current.version + 1,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('version', '=', current.version)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw staleVersion(await getCustomer(tx, id));
    await emitEvent(tx, {
      type: 'customer.updated',
      resourceType: 'customer',
      resourceId: id,
      customerId: id,
      data: presentCustomer(row),
    });
    return row;
  });
}

const groupIdsOf = (eb: ExpressionBuilder<Database, 'customers'>) =>
  sql<string[]>`coalesce((SELECT array_agg(m.group_id ORDER BY m.group_id)
    FROM customer_group_members m WHERE m.customer_id = ${eb.ref('customers.id')}), '{}')`.as('group_ids');

export type CustomerWithGroups = CustomerRow & { group_ids: string[] };

// Must stay the exact expression of the customers_search_trgm index, or the index is not used.
const searchText = sql<string>`lower(email || ' ' || coalesce(first_name, '') || ' ' || coalesce(last_name, ''))`;
const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** Newest first; `q` matches anywhere in email or name. */
export async function listCustomers(
  db: Executor,
  query: { q?: string; group_id?: string; limit: number; cursor?: string },
): Promise<PageResult<CustomerWithGroups>> {
  const after = decodeCursor(query.cursor, 1);
  let select = db.selectFrom('customers').selectAll('customers').select(groupIdsOf);
  if (query.q) select = select.where(searchText, 'like', `%${escapeLike(query.q.toLowerCase())}%`);
  if (query.group_id) {
    const groupId = query.group_id;
    select = select.where((eb) =>
      eb.exists(
        eb
          .selectFrom('customer_group_members as m')
          .select('m.customer_id')
          .whereRef('m.customer_id', '=', 'customers.id')
          .where('m.group_id', '=', groupId),
      ),
    );
  }
  if (after) select = select.where('customers.id', '<', String(after[0]));
  const rows = await select
    .orderBy('customers.id', 'desc')
    .limit(query.limit + 1)
    .execute();
  return toPage(rows, query.limit, (row) => [row.id]);
}

export async function getCustomerWithGroups(db: Executor, id: string): Promise<CustomerWithGroups> {
  const row = await db
    .selectFrom('customers')
    .selectAll('customers')
    .select(groupIdsOf)
    .where('customers.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound('Customer', id);
  return row;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** The public shape: never the password hash. */
export function presentCustomer(row: CustomerRow) {
  return {
    id: row.id,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
    phone: row.phone,
    metadata: row.metadata,
    consent_personalisation: row.consent_personalisation,
    consent_personalisation_updated_at: iso(row.consent_personalisation_updated_at),
    consent_marketing: row.consent_marketing,
    consent_marketing_updated_at: iso(row.consent_marketing_updated_at),
    version: row.version,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

export function presentAdminCustomer(row: CustomerWithGroups) {
  return {
    ...presentCustomer(row),
    group_ids: row.group_ids,
    locked_until: isLocked(row.locked_until) ? iso(row.locked_until) : null,
  };
}
