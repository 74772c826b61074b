import type { FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import type { StoreCustomer } from '../../http/context.js';
import { ApiError } from '../../http/problem.js';
import { hashSecret, newId, newSecret } from '../../lib/ids.js';
import './tables.js';

/*
 * Why opaque tokens and not JWTs: a session must die the moment the shopper logs out or
 * resets the password. A JWT would need a revocation lookup on every request anyway, so
 * it saves nothing and adds key management; an opaque token is one indexed lookup by its
 * SHA-256, and setting the row's `revoked_at` revokes it on every node at once (there is
 * no per-node cache, unlike API keys, because revocation must be immediate).
 */

export const SESSION_TOKEN_HEADER = 'x-customer-token';
/** A session lasts this long from login; the head logs in again afterwards. */
export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;
const TOKEN_PREFIX = 'cst';
const TOKEN_BYTES = 32;
// 32 random bytes in base64url are 43 characters; anything else cannot be ours.
const TOKEN_SHAPE = /^cst_[A-Za-z0-9_-]{43}$/;

export const invalidSession = () =>
  new ApiError(
    401,
    'invalid_session',
    'The customer session is unknown, expired or revoked; log in again (and stop sending X-Customer-Token)',
  );

export const loginRequired = () =>
  new ApiError(401, 'login_required', 'This route needs a signed-in customer: send `X-Customer-Token`');

/** The signed-in customer of a store request, or 401 `login_required`. */
export function requireCustomer(request: FastifyRequest): StoreCustomer {
  if (!request.customer) throw loginRequired();
  return request.customer;
}

export async function getCustomerGroupIds(db: Executor, customerId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('customer_group_members')
    .select('group_id')
    .where('customer_id', '=', customerId)
    .orderBy('group_id')
    .execute();
  return rows.map((row) => row.group_id);
}

/**
 * The customer behind a session token, or null when the token is malformed, unknown,
 * expired, revoked, or was issued on another channel (a session belongs to the channel
 * that created it, so a token leaked from one head does not open another).
 */
export async function resolveCustomerSession(
  db: Executor,
  token: string,
  channelId: string,
): Promise<StoreCustomer | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const row = await db
    .selectFrom('customer_sessions as s')
    .innerJoin('customers as c', 'c.id', 's.customer_id')
    .select([
      'c.id',
      'c.email',
      sql<string[]>`coalesce((SELECT array_agg(m.group_id ORDER BY m.group_id)
        FROM customer_group_members m WHERE m.customer_id = c.id), '{}')`.as('group_ids'),
    ])
    .where('s.token_hash', '=', hashSecret(token))
    .where('s.channel_id', '=', channelId)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return row ? { id: row.id, email: row.email, groupIds: row.group_ids } : null;
}

export interface NewSession {
  token: string;
  expiresAt: Date;
}

export async function createSession(
  db: Executor,
  input: { customerId: string; channelId: string; userAgent?: string },
): Promise<NewSession> {
  const token = newSecret(TOKEN_PREFIX, TOKEN_BYTES);
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  // Expired and revoked sessions of this customer can never sign in again: clear them here,
  // so the table stays proportional to live sessions without a sweeper.
  await db
    .deleteFrom('customer_sessions')
    .where('customer_id', '=', input.customerId)
    .where((eb) => eb.or([eb('expires_at', '<', sql<Date>`now()`), eb('revoked_at', 'is not', null)]))
    .execute();
  await db
    .insertInto('customer_sessions')
    .values({
      id: newId('cses'),
      customer_id: input.customerId,
      token_hash: hashSecret(token),
      channel_id: input.channelId,
      user_agent: input.userAgent?.slice(0, 512) ?? null,
      expires_at: expiresAt,
    })
    .execute();
  return { token, expiresAt };
}

export async function revokeSession(db: Executor, token: string): Promise<void> {
  await db
    .updateTable('customer_sessions')
    .set({ revoked_at: new Date() })
    .where('token_hash', '=', hashSecret(token))
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Ends every session of a customer (password reset: whoever held the old password is out),
 * optionally sparing the one making the change.
 */
export async function revokeAllSessions(
  db: Executor,
  customerId: string,
  exceptToken?: string,
): Promise<number> {
  let update = db
    .updateTable('customer_sessions')
    .set({ revoked_at: new Date() })
    .where('customer_id', '=', customerId)
    .where('revoked_at', 'is', null);
  if (exceptToken !== undefined) update = update.where('token_hash', '!=', hashSecret(exceptToken));
  const result = await update.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
