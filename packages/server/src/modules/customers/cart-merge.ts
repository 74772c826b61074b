import { sql } from 'kysely';
import type { Tx } from '../../db/database.js';
import type { StoreChannel } from '../../http/context.js';
import { ApiError } from '../../http/problem.js';
import { mergeCartsAtLogin } from '../cart/merge.js';
import type { MergePolicy } from '../cart/tables.js';
import { getCustomerGroupIds } from './session.js';

export interface CartMergeOutcome {
  /** The cart the head should use from now on; null when the merge was refused. */
  cart_id: string | null;
  policy: MergePolicy | null;
  merged_lines: Array<{ variant_id: string; quantity: number; dropped: number }>;
  /** Why the guest cart could not be merged (unknown, other channel, already checked out, …). */
  error: { code: string; detail: string } | null;
}

/**
 * Folds the device's guest cart into the customer's cart inside the login transaction.
 * A cart the shopper cannot merge (gone, completed, another channel's) must not block the
 * login, so the merge runs in a savepoint: a refusal undoes only the merge and is reported.
 */
export async function mergeGuestCartAtLogin(
  tx: Tx,
  input: { guestCartId: string; customerId: string; channel: StoreChannel },
): Promise<CartMergeOutcome> {
  await sql`SAVEPOINT login_cart_merge`.execute(tx);
  try {
    const result = await mergeCartsAtLogin(tx, {
      guestCartId: input.guestCartId,
      customerId: input.customerId,
      access: {
        channelId: input.channel.id,
        channelCurrencies: input.channel.currencies,
        channelDefaultCurrency: input.channel.defaultCurrency,
        customerId: input.customerId,
        customerGroupIds: await getCustomerGroupIds(tx, input.customerId),
      },
    });
    await sql`RELEASE SAVEPOINT login_cart_merge`.execute(tx);
    return { cart_id: result.cart_id, policy: result.policy, merged_lines: result.merged_lines, error: null };
  } catch (error) {
    if (!(error instanceof ApiError) || error.status >= 500) throw error;
    await sql`ROLLBACK TO SAVEPOINT login_cart_merge`.execute(tx);
    return {
      cart_id: null,
      policy: null,
      merged_lines: [],
      error: { code: error.code, detail: error.message },
    };
  }
}
