import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Executor } from '../../db/database.js';
import { shapeForHead } from '../../http/heads.js';
import { authorizeCart, type CartAccess, cartAccessOf } from '../cart/access.js';
import { readCart } from '../cart/service.js';
import { cartNotices } from './cart-notices.js';
import { serveStream } from './sse.js';
import type { EventRow } from './tables.js';

type CartView = Awaited<ReturnType<typeof readCart>>;

/** Stock and price events that concern whichever carts hold the variant. */
const LINE_EVENT_TYPES = ['inventory.changed', 'price.updated'];

function variantOf(event: EventRow): string | null {
  if (event.type === 'inventory.changed') return event.resource_id;
  if (event.type === 'price.updated') {
    const variantId = (event.data as { variant_id?: unknown } | null)?.variant_id;
    return typeof variantId === 'string' ? variantId : null;
  }
  return null;
}

// Many streams watch one cart from the same channel and session (a shopper's devices):
// each change is read and priced once for all of them.
const views = new Map<string, Promise<CartView>>();
const MAX_CACHED_VIEWS = 2000;

function viewAt(db: Executor, cartId: string, access: CartAccess, seq: number): Promise<CartView> {
  const key = `${cartId}|${seq}|${access.channelId}|${access.customerId ?? ''}`;
  let view = views.get(key);
  if (!view) {
    view = authorizeCart(db, cartId, access).then((locked) => readCart(db, locked, access));
    views.set(key, view);
    view.catch(() => views.delete(key));
    if (views.size > MAX_CACHED_VIEWS) views.delete(views.keys().next().value as string);
  }
  return view;
}

/** The cart's own events and the stock/price events of its variants, for a resuming client. */
function missedCartEvents(db: Executor, cartId: string, variants: string[]) {
  return (afterSeq: number, upToSeq: number, limit: number) =>
    db
      .selectFrom('events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .where('seq', '<=', upToSeq)
      .where((eb) =>
        eb.or([
          eb('resource_id', '=', cartId),
          ...(variants.length === 0
            ? []
            : [
                eb.and([eb('type', '=', 'inventory.changed'), eb('resource_id', 'in', variants)]),
                eb.and([
                  eb('type', '=', 'price.updated'),
                  eb(sql<string>`data->>'variant_id'`, 'in', variants),
                ]),
              ]),
        ]),
      )
      .orderBy('seq')
      .limit(limit)
      .execute();
}

/** One stream message: the cause, the cart shaped for the subscriber's head, and the notices. */
function envelope(request: FastifyRequest, event: EventRow | null, cart: CartView) {
  const { headProfile, locale } = request.channel;
  return {
    event: event ? { id: event.id, type: event.type, resource_id: event.resource_id } : null,
    cart: shapeForHead('cart', cart, headProfile, locale),
    notices: cartNotices(cart),
  };
}

/**
 * `GET /store/v1/carts/{id}/stream`: authorised exactly like `GET /carts/{id}` (the cart
 * module's `authorizeCart`), checked again for every message, so a stream that loses access
 * (the cart was claimed by a customer) ends with a 404 `error` message.
 */
export async function serveCartStream(
  request: FastifyRequest,
  reply: FastifyReply,
  cartId: string,
): Promise<void> {
  const db = request.server.merx.db;
  const access = cartAccessOf(request);
  const { lines } = await authorizeCart(db, cartId, access);
  const watched = new Set(lines.map((line) => line.variant_id));
  const remember = (cart: CartView) => {
    watched.clear();
    for (const line of cart.lines) watched.add(line.variant_id);
    return cart;
  };
  await serveStream(request, reply, {
    stream: 'cart',
    filters: [{ resourceId: cartId }, { all: true, types: LINE_EVENT_TYPES }],
    accept: (event) => event.resource_id === cartId || watched.has(variantOf(event) ?? ''),
    replay: missedCartEvents(db, cartId, [...watched]),
    initial: async () => {
      const cart = remember(await viewAt(db, cartId, access, -1));
      views.delete(`${cartId}|-1|${access.channelId}|${access.customerId ?? ''}`);
      return [{ event: 'cart.snapshot', data: envelope(request, null, cart) }];
    },
    render: async (event) => {
      const cart = remember(await viewAt(db, cartId, access, event.seq));
      return { id: event.seq, event: event.type, data: envelope(request, event, cart) };
    },
  });
}
