import { sql } from 'kysely';
import type { Executor, Tx } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { invalid } from '../../http/problem.js';
import { hashSecret, newId, newSecret } from '../../lib/ids.js';
import { emitEvent } from '../events/outbox.js';
import { assertPasswordPolicy, hashPassword } from './passwords.js';
import { findCustomerByEmail } from './service.js';
import { revokeAllSessions } from './session.js';

export const RESET_TOKEN_TTL_MS = 60 * 60 * 1000;
export const PASSWORD_RESET_REQUESTED = 'customer.password_reset_requested';
export const PASSWORD_CHANGED = 'customer.password_changed';

/**
 * Stores a hashed single-use token and hands the plain token to whoever delivers the
 * email. Merx has no mailer: an email extension subscribes to the
 * `customer.password_reset_requested` event, whose data carries the token. Only the newest
 * token of a customer stays valid. An unknown email does nothing, and the caller answers
 * 202 either way, so the endpoint does not reveal who has an account.
 */
export async function requestPasswordReset(
  db: Executor,
  email: string,
  context: { channelId: string },
): Promise<void> {
  const customer = await findCustomerByEmail(db, email);
  if (!customer) return;
  const token = newSecret('prt', 32);
  const expiresAt = new Date(Date.now() + RESET_TOKEN_TTL_MS);
  await inTransaction(db, async (tx) => {
    await tx
      .deleteFrom('password_reset_tokens')
      .where('customer_id', '=', customer.id)
      .where('used_at', 'is', null)
      .execute();
    await tx
      .insertInto('password_reset_tokens')
      .values({
        id: newId('cprt'),
        customer_id: customer.id,
        token_hash: hashSecret(token),
        channel_id: context.channelId,
        expires_at: expiresAt,
      })
      .execute();
    await emitEvent(tx, {
      type: PASSWORD_RESET_REQUESTED,
      resourceType: 'customer',
      resourceId: customer.id,
      channelId: context.channelId,
      customerId: customer.id,
      data: {
        customer_id: customer.id,
        email: customer.email,
        first_name: customer.first_name,
        token,
        expires_at: expiresAt.toISOString(),
      },
    });
  });
}

const invalidResetToken = () =>
  invalid(
    'The reset token is unknown, expired or already used; request a new one',
    [{ field: '/body/token', message: 'is not a valid reset token' }],
    'invalid_reset_token',
  );

/**
 * Sets the new password, spends the token and ends every session of the customer: whoever
 * knew the old password (or stole a session) is signed out.
 */
export async function confirmPasswordReset(
  db: Executor,
  input: { token: string; password: string },
): Promise<void> {
  const tokenHash = hashSecret(input.token);
  const pending = await db
    .selectFrom('password_reset_tokens as t')
    .innerJoin('customers as c', 'c.id', 't.customer_id')
    .select(['t.id', 't.customer_id', 't.channel_id', 'c.email'])
    .where('t.token_hash', '=', tokenHash)
    .where('t.used_at', 'is', null)
    .where('t.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!pending) throw invalidResetToken();
  assertPasswordPolicy(input.password, '/body/password', pending.email);
  const passwordHash = await hashPassword(input.password);
  await inTransaction(db, async (tx) => {
    // The conditional update is what makes the token single-use under concurrent confirms.
    const spent = await tx
      .updateTable('password_reset_tokens')
      .set({ used_at: new Date() })
      .where('id', '=', pending.id)
      .where('used_at', 'is', null)
      .where('expires_at', '>', sql<Date>`now()`)
      .returning('id')
      .executeTakeFirst();
    if (!spent) throw invalidResetToken();
    await applyNewPassword(tx, {
      customerId: pending.customer_id,
      email: pending.email,
      passwordHash,
      channelId: pending.channel_id,
    });
  });
}

/**
 * Stores a new password hash, ends the customer's sessions (all, or all but the caller's)
 * and pending reset tokens, and emits `customer.password_changed` so an email extension
 * can tell the owner. Call inside the transaction that authorised the change.
 */
export async function applyNewPassword(
  tx: Tx,
  change: {
    customerId: string;
    email: string;
    passwordHash: string;
    channelId: string | null;
    keepToken?: string;
  },
): Promise<void> {
  await tx
    .updateTable('customers')
    // Proving the mailbox (or the current password) also lifts a guessing lock.
    .set({
      password_hash: change.passwordHash,
      failed_login_count: 0,
      last_failed_login_at: null,
      locked_until: null,
    })
    .where('id', '=', change.customerId)
    .execute();
  await tx
    .deleteFrom('password_reset_tokens')
    .where('customer_id', '=', change.customerId)
    .where('used_at', 'is', null)
    .execute();
  const revoked = await revokeAllSessions(tx, change.customerId, change.keepToken);
  await emitEvent(tx, {
    type: PASSWORD_CHANGED,
    resourceType: 'customer',
    resourceId: change.customerId,
    channelId: change.channelId,
    customerId: change.customerId,
    data: { customer_id: change.customerId, email: change.email, sessions_revoked: revoked },
  });
}
