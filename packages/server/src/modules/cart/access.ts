import type { FastifyRequest } from 'fastify';
import type { Executor } from '../../db/database.js';
import { literal } from '../../db/plan-stable.js';
import { staleVersion } from '../../http/concurrency.js';
import { conflict, notFound } from '../../http/problem.js';
import type { CartLineRow, CartRow } from './tables.js';

/** Who is calling: the channel of the key and, when signed in, the customer. */
export interface CartAccess {
  channelId: string;
  channelCurrencies: string[];
  channelDefaultCurrency: string;
  customerId: string | null;
  customerGroupIds: string[];
}

export function cartAccessOf(request: FastifyRequest): CartAccess {
  return {
    channelId: request.channel.id,
    channelCurrencies: request.channel.currencies,
    channelDefaultCurrency: request.channel.defaultCurrency,
    customerId: request.customer?.id ?? null,
    customerGroupIds: request.customer?.groupIds ?? [],
  };
}

export interface CartWithLines {
  cart: CartRow;
  lines: CartLineRow[];
}

/**
 * A customer's cart opens only with that customer's session, from any channel (the same
 * shopper continues it on another head). An anonymous cart opens by its unguessable ID,
 * only through the channel that created it. Everything else looks exactly like an unknown
 * ID, so nothing leaks about other people's carts.
 */
export function mayAccess(cart: CartRow, access: Pick<CartAccess, 'channelId' | 'customerId'>): boolean {
  if (cart.customer_id !== null) return cart.customer_id === access.customerId;
  return cart.channel_id === access.channelId;
}

async function loadLines(db: Executor, cartId: string): Promise<CartLineRow[]> {
  return db.selectFrom('cart_lines').selectAll().where('cart_id', '=', cartId).orderBy('id').execute();
}

/** The cart and its lines, without any authorisation (for services such as checkout). */
export async function getCart(db: Executor, id: string): Promise<CartWithLines> {
  const cart = await db.selectFrom('carts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!cart) throw notFound('Cart', id);
  return { cart, lines: await loadLines(db, id) };
}

/** The cart if the caller may see it, else 404. Live streams authorise with this too. */
export async function authorizeCart(db: Executor, id: string, access: CartAccess): Promise<CartWithLines> {
  const cart = await db.selectFrom('carts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!cart || !mayAccess(cart, access)) throw notFound('Cart', id);
  return { cart, lines: await loadLines(db, id) };
}

/** The signed-in customer's most recently changed active cart, from whichever channel, or 404. */
export async function currentCartOf(db: Executor, customerId: string): Promise<CartWithLines> {
  const cart = await db
    .selectFrom('carts')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('status', '=', literal('active'))
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (!cart) throw notFound('Active cart of this customer');
  return { cart, lines: await loadLines(db, cart.id) };
}

/**
 * Locks the cart row for a write: concurrent writes to one cart queue here, so none is
 * lost. `expectedVersion` (from If-Match) older than the cart gets 409 with `current`,
 * rendered by `currentState` (the presented cart).
 */
export async function lockCartForWrite(
  tx: Executor,
  id: string,
  access: CartAccess,
  expectedVersion: number | null,
  currentState: (locked: CartWithLines) => Promise<unknown>,
): Promise<CartWithLines> {
  const cart = await tx.selectFrom('carts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!cart || !mayAccess(cart, access)) throw notFound('Cart', id);
  const locked = { cart, lines: await loadLines(tx, id) };
  if (expectedVersion !== null && expectedVersion !== cart.version)
    throw staleVersion(await currentState(locked));
  if (cart.status !== 'active') {
    throw conflict('cart_not_active', `The cart is ${cart.status} and can no longer change`, {
      cart_status: cart.status,
      order_id: cart.order_id,
      merged_into: cart.merged_into,
    });
  }
  return locked;
}
