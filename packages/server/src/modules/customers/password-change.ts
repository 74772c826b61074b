import type { Executor } from '../../db/database.js';
import { inTransaction } from '../../db/transaction.js';
import { conflict, invalid, notFound } from '../../http/problem.js';
import { isLocked, recordFailedLogin, tooManyAttempts } from './login-throttle.js';
import { applyNewPassword } from './password-reset.js';
import { assertPasswordPolicy, hashPassword, verifyPassword } from './passwords.js';

/**
 * A signed-in customer changes the password by proving the current one. Every other
 * session ends (a thief holding one is out); the session making the change stays.
 */
export async function changePassword(
  db: Executor,
  customerId: string,
  input: { current_password: string; new_password: string },
  context: { sessionToken: string; channelId: string },
): Promise<void> {
  const customer = await db
    .selectFrom('customers')
    .select(['email', 'password_hash', 'locked_until'])
    .where('id', '=', customerId)
    .executeTakeFirst();
  if (!customer) throw notFound('Customer', customerId);
  // A stolen session must not become a way around the guessing brake of the login.
  if (isLocked(customer.locked_until)) throw tooManyAttempts(customer.locked_until as Date);
  if (!(await verifyPassword(customer.password_hash, input.current_password))) {
    await recordFailedLogin(db, customerId);
    throw invalid(
      'The current password is wrong',
      [{ field: '/body/current_password', message: 'does not match' }],
      'wrong_password',
    );
  }
  assertPasswordPolicy(input.new_password, '/body/new_password', customer.email);
  const passwordHash = await hashPassword(input.new_password);
  await inTransaction(db, async (tx) => {
    const locked = await tx
      .selectFrom('customers')
      .select('password_hash')
      .where('id', '=', customerId)
      .forUpdate()
      .executeTakeFirst();
    // Checked against the hash we verified, so two concurrent changes cannot both win.
    if (locked?.password_hash !== customer.password_hash) {
      throw conflict('password_changed_concurrently', 'The password changed meanwhile; try again');
    }
    await applyNewPassword(tx, {
      customerId,
      email: customer.email,
      passwordHash,
      channelId: context.channelId,
      keepToken: context.sessionToken,
    });
  });
}
