import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { ApiError } from '../../http/problem.js';

/*
 * argon2 makes each guess cost ~45 ms, which still allows a 10 000-word list against one
 * account in minutes. So: 10 wrong passwords within 15 minutes lock the account for 15
 * minutes (about 40 guesses an hour at most). The lock is per account, not per IP, because
 * heads are often one server-side BFF whose IP every shopper shares. Someone can keep a
 * known account locked by failing on purpose; a password reset lifts the lock.
 */
export const MAX_FAILED_LOGINS = 10;
export const FAILURE_WINDOW_MINUTES = 15;
export const LOCK_MINUTES = 15;

export function tooManyAttempts(lockedUntil: Date, now = new Date()): ApiError {
  const retryAfter = Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  return new ApiError(
    429,
    'too_many_attempts',
    `Too many wrong passwords for this account; try again in ${Math.ceil(retryAfter / 60)} minutes or reset the password`,
    { retry_after: retryAfter },
  );
}

export const isLocked = (lockedUntil: Date | null, now = new Date()) =>
  lockedUntil !== null && lockedUntil.getTime() > now.getTime();

/** Counts a wrong password; the failure that reaches the limit starts the lock. */
export async function recordFailedLogin(db: Executor, customerId: string): Promise<void> {
  const window = `${FAILURE_WINDOW_MINUTES} minutes`;
  const row = await db
    .updateTable('customers')
    .set({
      failed_login_count: sql`CASE WHEN last_failed_login_at > now() - ${window}::interval
        THEN failed_login_count + 1 ELSE 1 END`,
      last_failed_login_at: sql`now()`,
    })
    .where('id', '=', customerId)
    .returning('failed_login_count')
    .executeTakeFirst();
  if (row && row.failed_login_count >= MAX_FAILED_LOGINS) {
    await db
      .updateTable('customers')
      .set({ locked_until: sql`now() + ${`${LOCK_MINUTES} minutes`}::interval`, failed_login_count: 0 })
      .where('id', '=', customerId)
      .execute();
  }
}

/** A successful login or a new password clears the count and any lock. */
export async function clearFailedLogins(db: Executor, customerId: string): Promise<void> {
  await db
    .updateTable('customers')
    .set({ failed_login_count: 0, last_failed_login_at: null, locked_until: null })
    .where('id', '=', customerId)
    .where((eb) => eb.or([eb('failed_login_count', '>', 0), eb('locked_until', 'is not', null)]))
    .execute();
}
