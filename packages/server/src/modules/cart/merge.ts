import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { literal } from '../../db/plan-stable.js';
import { staleVersion } from '../../http/concurrency.js';
import { ApiError, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { emitEvent } from '../events/outbox.js';
import { releaseReservations } from '../inventory/reservations.js';
import type { CartAccess } from './access.js';
import { type PresentedCart, presentCart } from './present.js';
import { priceCart } from './pricing.js';
import { finishWrite, MAX_LINES, MAX_QUANTITY } from './service.js';
import type { CartRow, MergePolicy } from './tables.js';

export const DEFAULT_MERGE_POLICY: MergePolicy = 'merge_lines';

export async function getMergeSettings(db: Executor, channelId: string) {
  const row = await db
    .selectFrom('cart_channel_settings')
    .selectAll()
    .where('channel_id', '=', channelId)
    .executeTakeFirst();
  return {
    channel_id: channelId,
    merge_policy: row?.merge_policy ?? DEFAULT_MERGE_POLICY,
    version: row?.version ?? 0,
  };
}

export async function setMergeSettings(
  db: Executor,
  channelId: string,
  policy: MergePolicy,
  expectedVersion: number | null,
) {
  const channel = await db.selectFrom('channels').select('id').where('id', '=', channelId).executeTakeFirst();
  if (!channel) throw notFound('Channel', channelId);
  const current = await getMergeSettings(db, channelId);
  if (expectedVersion !== null && expectedVersion !== current.version) throw staleVersion(current);
  const row = await db
    .insertInto('cart_channel_settings')
    .values({ channel_id: channelId, merge_policy: policy })
    .onConflict((oc) =>
      oc
        .column('channel_id')
        .doUpdateSet({
          merge_policy: policy,
          version: sql`cart_channel_settings.version + 1`,
          updated_at: sql`now()`,
        })
        .where('cart_channel_settings.version', '=', current.version),
    )
    .returningAll()
    .executeTakeFirst();
  if (!row) throw staleVersion(await getMergeSettings(db, channelId));
  return { channel_id: channelId, merge_policy: row.merge_policy, version: row.version };
}

export interface MergedLine {
  variant_id: string;
  /** Units taken over from the guest cart. */
  quantity: number;
  /** Units left behind because the line reached the per-line limit or the cart its line limit. */
  dropped: number;
}

export interface MergeResult {
  cart_id: string;
  policy: MergePolicy;
  merged_lines: MergedLine[];
  cart: PresentedCart;
}

async function retire(tx: Executor, cart: CartRow, into: string): Promise<void> {
  await releaseReservations(tx, { cartId: cart.id });
  const retired = await tx
    .updateTable('carts')
    .set({ status: 'merged', merged_into: into, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', cart.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const lines = await tx
    .selectFrom('cart_lines')
    .selectAll()
    .where('cart_id', '=', cart.id)
    .orderBy('id')
    .execute();
  await emitEvent(tx, {
    type: 'cart.updated',
    resourceType: 'cart',
    resourceId: cart.id,
    channelId: retired.channel_id,
    customerId: retired.customer_id,
    data: presentCart(await priceCart(tx, { cart: retired, lines }, { cachedConfig: true })),
  });
}

/**
 * At login, folds the guest cart of this device into the customer's cart under the channel's
 * policy: `keep_guest` (the guest cart becomes the customer's; the older one is retired),
 * `keep_customer` (the guest cart is retired) or `merge_lines` (guest lines are added to the
 * customer's cart, quantities summed up to the limits). Without a customer cart the guest
 * cart simply becomes the customer's. Retired carts get status `merged` and `merged_into`.
 * The guest cart must be an active anonymous cart of `access.channelId`, else 404.
 */
export async function mergeCartsAtLogin(
  tx: Executor,
  input: { guestCartId: string; customerId: string; access: CartAccess },
): Promise<MergeResult> {
  const access: CartAccess = { ...input.access, customerId: input.customerId };
  const policy = (await getMergeSettings(tx, access.channelId)).merge_policy;
  const ownCart = await tx
    .selectFrom('carts')
    .select('id')
    .where('customer_id', '=', input.customerId)
    .where('status', '=', literal('active'))
    .where('id', '!=', input.guestCartId)
    .orderBy('updated_at', 'desc')
    .executeTakeFirst();
  // Lock both in ID order, like every other multi-cart writer, so two logins cannot deadlock.
  const locked = await tx
    .selectFrom('carts')
    .selectAll()
    .where('id', 'in', [input.guestCartId, ...(ownCart ? [ownCart.id] : [])])
    .orderBy('id')
    .forUpdate()
    .execute();
  const guest = locked.find((cart) => cart.id === input.guestCartId);
  if (!guest || guest.customer_id !== null || guest.channel_id !== access.channelId) {
    throw notFound('Cart', input.guestCartId);
  }
  if (guest.status !== 'active') {
    throw new ApiError(409, 'cart_not_active', `The guest cart is ${guest.status}`, {
      cart_status: guest.status,
    });
  }
  const customerCart = locked.find((cart) => cart.id === ownCart?.id) ?? null;
  const guestLines = await tx
    .selectFrom('cart_lines')
    .selectAll()
    .where('cart_id', '=', guest.id)
    .orderBy('id')
    .execute();
  const allGuestLines = guestLines.map((line) => ({
    variant_id: line.variant_id,
    quantity: line.quantity,
    dropped: 0,
  }));

  const claimGuest = async () => {
    await tx.updateTable('carts').set({ customer_id: input.customerId }).where('id', '=', guest.id).execute();
    return guest.id;
  };

  let cartId: string;
  let mergedLines: MergedLine[] = [];
  if (!customerCart) {
    cartId = await claimGuest();
    mergedLines = allGuestLines;
  } else if (policy === 'keep_guest') {
    await retire(tx, customerCart, guest.id);
    cartId = await claimGuest();
    mergedLines = allGuestLines;
  } else if (policy === 'keep_customer') {
    await retire(tx, guest, customerCart.id);
    cartId = customerCart.id;
  } else {
    cartId = customerCart.id;
    const existing = await tx.selectFrom('cart_lines').selectAll().where('cart_id', '=', cartId).execute();
    let lineCount = existing.length;
    for (const line of guestLines) {
      const same = existing.find((candidate) => candidate.variant_id === line.variant_id);
      if (same) {
        const quantity = Math.min(MAX_QUANTITY, same.quantity + line.quantity);
        await tx
          .updateTable('cart_lines')
          .set({ quantity, updated_at: sql`now()` })
          .where('id', '=', same.id)
          .execute();
        mergedLines.push({
          variant_id: line.variant_id,
          quantity: quantity - same.quantity,
          dropped: same.quantity + line.quantity - quantity,
        });
      } else if (lineCount < MAX_LINES) {
        await tx
          .insertInto('cart_lines')
          .values({
            id: newId('cali'),
            cart_id: cartId,
            variant_id: line.variant_id,
            quantity: line.quantity,
            unit_price: line.unit_price,
            snapshot: line.snapshot ? (JSON.stringify(line.snapshot) as never) : null,
          })
          .execute();
        lineCount += 1;
        mergedLines.push({ variant_id: line.variant_id, quantity: line.quantity, dropped: 0 });
      } else {
        mergedLines.push({ variant_id: line.variant_id, quantity: 0, dropped: line.quantity });
      }
    }
    // The guest's holds go back first, so the merged cart can take the same units again.
    await retire(tx, guest, cartId);
  }
  const cart = await finishWrite(tx, cartId, access, {
    event: 'cart.updated',
    linesChanged: true,
    holdStockBestEffort: true,
  });
  return { cart_id: cartId, policy, merged_lines: mergedLines, cart };
}
