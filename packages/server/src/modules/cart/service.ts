import { isDeepStrictEqual } from 'node:util';
import { type QueryCreator, sql, type Updateable } from 'kysely';
import type { Database, Executor } from '../../db/database.js';
import { literal } from '../../db/plan-stable.js';
import { ApiError, type FieldError, invalid, notFound } from '../../http/problem.js';
import { newId } from '../../lib/ids.js';
import { isCountryCode } from '../customers/countries.js';
import { emitEvent } from '../events/outbox.js';
import { getAvailability } from '../inventory/availability.js';
import {
  cartReservationExpiry,
  releaseReservations,
  reserve,
  touchReservations,
} from '../inventory/reservations.js';
import { getReservationSettings } from '../inventory/settings.js';
import { type CartAccess, type CartWithLines, getCart, lockCartForWrite } from './access.js';
import { type PresentedCart, presentCart } from './present.js';
import { type PricedCart, priceCart } from './pricing.js';
import type { Address, CartLineRow, CartRow, CartsTable, LineSnapshot } from './tables.js';

/** Per-line and per-cart limits (part of the API contract, also enforced by the schema). */
export const MAX_QUANTITY = 999;
export const MAX_LINES = 100;

export interface LineInput {
  variant_id: string;
  quantity: number;
}

export interface CartCreateInput {
  currency?: string;
  email?: string;
  lines?: LineInput[];
}

export interface CartPatch {
  email?: string | null;
  shipping_address?: Address | null;
  billing_address?: Address | null;
  shipping_option_id?: string | null;
  promotion_codes?: string[];
}

/** Customer groups price a cart only for its owner: an anonymous cart gets list prices. */
const groupsFor = (cart: CartRow, access: CartAccess) =>
  cart.customer_id !== null && cart.customer_id === access.customerId ? access.customerGroupIds : [];

/** The cart as the caller sees it: priced for the caller's channel. */
export async function readCart(
  db: Executor,
  locked: CartWithLines,
  access: CartAccess,
): Promise<PresentedCart> {
  const { cart } = locked;
  const currency =
    cart.channel_id === access.channelId || access.channelCurrencies.includes(cart.currency)
      ? cart.currency
      : access.channelDefaultCurrency;
  const priced = await priceCart(db, locked, {
    channelId: access.channelId,
    currency,
    customerGroupIds: groupsFor(cart, access),
    cachedConfig: true,
  });
  return presentCart(priced, { reservationExpiresAt: await cartReservationExpiry(db, cart.id) });
}

const notSellable = (field: string, variantId: string): FieldError => ({
  field,
  message: `variant ${variantId} is not sold in this channel and currency`,
});

interface WriteOptions {
  event: 'cart.created' | 'cart.updated';
  /** Line quantities changed: holds are re-synced (otherwise only their TTL is refreshed). */
  linesChanged: boolean;
  /** Variants the shopper just asked for, with the body field to blame if unsellable. */
  mustBeSellable?: Array<{ variantId: string; field: string }>;
  /** A shipping option the shopper just chose: it must serve the cart. */
  chosenShippingOption?: string;
  /** Keep the write even when stock cannot be held (login merges must not fail on stock). */
  holdStockBestEffort?: boolean;
  /**
   * Cart fields the write changes, already applied to the `written` cart in memory: stored
   * by the statement that bumps the version, not by one of their own.
   */
  cartChanges?: Updateable<CartsTable>;
}

function snapshotOf(priced: PricedCart['lines'][number]): LineSnapshot | null {
  const variant = priced.variant;
  if (!variant) return null;
  return {
    product_id: variant.productId,
    product_handle: variant.productHandle,
    product_title: variant.productTitle,
    variant_title: variant.variantTitle,
    sku: variant.sku,
    option_values: variant.optionValues,
    image_url: variant.imageUrl,
    weight_grams: variant.weightGrams,
  };
}

/**
 * The second half of every cart write, in the write's transaction: move the cart to the
 * caller's channel if its owner continues it there, re-price it from server data, hold
 * stock when the channel reserves at add-to-cart, bump the version and emit the event
 * carrying the full cart.
 */
export async function finishWrite(
  tx: Executor,
  cartId: string,
  access: CartAccess,
  options: WriteOptions,
  /** The cart as the write left it, when the caller has it at hand (saves reading it again). */
  written?: CartWithLines,
): Promise<PresentedCart> {
  let state = written ?? (await getCart(tx, cartId));
  const cartChanges: Updateable<CartsTable> = { ...options.cartChanges };
  const moved = state.cart.channel_id !== access.channelId;
  if (moved) {
    const move = {
      channel_id: access.channelId,
      previous_channel_id: state.cart.channel_id,
      currency: access.channelCurrencies.includes(state.cart.currency)
        ? state.cart.currency
        : access.channelDefaultCurrency,
    };
    Object.assign(cartChanges, move);
    state = { ...state, cart: { ...state.cart, ...move } };
  }
  const settings = await getReservationSettings(tx, access.channelId, { cached: true });
  // Stock shown on the lines must include the holds about to be taken or given back.
  const heldChanged = moved || (settings.point === 'at_add_to_cart' && options.linesChanged);
  const priced = await priceCart(tx, state, {
    customerGroupIds: groupsFor(state.cart, access),
    withAvailability: !heldChanged,
    cachedConfig: true,
  });

  const unsellable = (options.mustBeSellable ?? []).filter(
    ({ variantId }) => !priced.lines.some((entry) => entry.line.variant_id === variantId && entry.sellable),
  );
  if (unsellable.length > 0) {
    throw invalid(
      'These variants cannot be bought in this channel',
      unsellable.map(({ variantId, field }) => notSellable(field, variantId)),
      'variant_not_sellable',
    );
  }
  if (options.chosenShippingOption && priced.shipping?.option.id !== options.chosenShippingOption) {
    throw invalid(
      'This shipping option does not serve the cart (set a shipping address in its region first)',
      [{ field: '/body/shipping_option_id', message: 'is not available for this cart' }],
      'shipping_option_unavailable',
    );
  }

  // Remember what the shopper is shown now, so a later price change can be reported.
  const shownLines = new Map<string, CartLineRow>();
  for (const entry of priced.lines) {
    const snapshot = snapshotOf(entry);
    if (!snapshot) continue;
    // Key order is no test: jsonb stores keys sorted, so a string comparison never matched.
    const same =
      entry.line.unit_price === entry.unitPrice && isDeepStrictEqual(entry.line.snapshot, snapshot);
    if (!same) shownLines.set(entry.line.id, { ...entry.line, unit_price: entry.unitPrice, snapshot });
  }

  // Holds taken at checkout start never lapse, so only add-to-cart holds have an expiry to show.
  let holdsExpireAt: Date | null = null;
  if (settings.point === 'at_add_to_cart') {
    if (options.linesChanged || moved) {
      try {
        ({ expiresAt: holdsExpireAt } = await reserve(tx, {
          channelId: access.channelId,
          cartId,
          ttlSeconds: settings.ttlSeconds,
          lines: priced.lines
            .filter((entry) => entry.sellable)
            .map((entry) => ({ variantId: entry.line.variant_id, quantity: entry.line.quantity })),
        }));
      } catch (error) {
        // `reserve` refuses before writing anything, so the transaction is still usable.
        const outOfStock = error instanceof ApiError && error.code === 'out_of_stock';
        if (!outOfStock || !options.holdStockBestEffort) throw error;
        holdsExpireAt = await touchReservations(tx, cartId, settings.ttlSeconds);
      }
    } else {
      holdsExpireAt = await touchReservations(tx, cartId, settings.ttlSeconds);
    }
  } else if (moved) {
    await releaseReservations(tx, { cartId });
  }

  const stockNow = heldChanged
    ? await getAvailability(tx, {
        channelId: access.channelId,
        variantIds: priced.lines.map((e) => e.line.variant_id),
      })
    : null;

  // The chosen option is dropped once it no longer serves the cart (address or weight changed).
  const keepShipping = priced.shipping !== null;
  // The row the bump below leaves (the cart is locked, so its version is known), presented
  // before the write: the re-snapshotted lines, the bump and the event are one statement.
  const bumped: CartRow = {
    ...state.cart,
    version: options.event === 'cart.created' ? state.cart.version : state.cart.version + 1,
    updated_at: new Date(),
    shipping_option_id: keepShipping ? state.cart.shipping_option_id : null,
  };
  let statement: QueryCreator<Database> = tx;
  [...shownLines.values()].forEach((line, index) => {
    statement = statement.with(`shown_${index}`, (db) =>
      db
        .updateTable('cart_lines')
        .set({
          unit_price: line.unit_price,
          snapshot: JSON.stringify(line.snapshot) as never,
          updated_at: sql`now()`,
        })
        .where('id', '=', line.id),
    ) as unknown as QueryCreator<Database>;
  });
  statement = statement.with('bumped', (db) =>
    db
      .updateTable('carts')
      .set({
        ...cartChanges,
        version: bumped.version,
        updated_at: bumped.updated_at,
        shipping_option_id: bumped.shipping_option_id,
      })
      .where('id', '=', cartId),
  ) as unknown as QueryCreator<Database>;
  const presented = presentCart(
    {
      ...priced,
      cart: bumped,
      lines: priced.lines.map((entry) => ({
        ...entry,
        line: shownLines.get(entry.line.id) ?? entry.line,
        availability: stockNow ? (stockNow.get(entry.line.variant_id) ?? null) : entry.availability,
      })),
    },
    {
      repricedForChannel: moved ? access.channelId : null,
      reservationExpiresAt: holdsExpireAt,
    },
  );
  await emitEvent(
    tx,
    {
      type: options.event,
      resourceType: 'cart',
      resourceId: cartId,
      channelId: bumped.channel_id,
      customerId: bumped.customer_id,
      data: presented,
    },
    statement,
  );
  return presented;
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The lines after one line was written, in the order `getCart` reads them (by ID). */
const withLine = (lines: CartLineRow[], written: CartLineRow) =>
  [...lines.filter((line) => line.id !== written.id), written].sort(byId);

function sumLines(lines: LineInput[]): Map<string, { quantity: number; index: number }> {
  const byVariant = new Map<string, { quantity: number; index: number }>();
  lines.forEach((line, index) => {
    const seen = byVariant.get(line.variant_id);
    byVariant.set(line.variant_id, {
      quantity: (seen?.quantity ?? 0) + line.quantity,
      index: seen?.index ?? index,
    });
  });
  return byVariant;
}

function quantityLimit(field: string, quantity: number): ApiError {
  return invalid(
    `A line holds at most ${MAX_QUANTITY} units`,
    [{ field, message: `would be ${quantity}, above ${MAX_QUANTITY}` }],
    'quantity_limit',
  );
}

function checkAddresses(patch: CartPatch): void {
  const errors: FieldError[] = [];
  for (const key of ['shipping_address', 'billing_address'] as const) {
    const country = patch[key]?.country;
    if (country && !isCountryCode(country)) {
      errors.push({ field: `/body/${key}/country`, message: `${country} is not an ISO 3166-1 country` });
    }
  }
  if (errors.length > 0) throw invalid('Unknown country', errors);
}

export async function createCart(
  tx: Executor,
  access: CartAccess & { customerEmail?: string | null },
  input: CartCreateInput,
) {
  const currency = input.currency ?? access.channelDefaultCurrency;
  if (!access.channelCurrencies.includes(currency)) {
    throw invalid(
      `This channel sells in ${access.channelCurrencies.join(', ')}`,
      [{ field: '/body/currency', message: `${currency} is not offered by the channel` }],
      'currency_not_offered',
    );
  }
  const lines = sumLines(input.lines ?? []);
  for (const [, { quantity, index }] of lines) {
    if (quantity > MAX_QUANTITY) throw quantityLimit(`/body/lines/${index}/quantity`, quantity);
  }
  const cartId = newId('cart');
  const cart = await tx
    .insertInto('carts')
    .values({
      id: cartId,
      channel_id: access.channelId,
      customer_id: access.customerId,
      currency,
      email: input.email ?? access.customerEmail ?? null,
      shipping_address: null,
      billing_address: null,
      shipping_option_id: null,
      order_id: null,
      merged_into: null,
      completed_at: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const cartLines: CartLineRow[] = [];
  if (lines.size > 0) {
    const inserted = await tx
      .insertInto('cart_lines')
      .values(
        [...lines].map(([variantId, { quantity }]) => ({
          id: newId('cali'),
          cart_id: cartId,
          variant_id: variantId,
          quantity,
          unit_price: null,
          snapshot: null,
        })),
      )
      .returningAll()
      .execute();
    cartLines.push(...inserted.sort(byId));
  }
  return finishWrite(
    tx,
    cartId,
    access,
    {
      event: 'cart.created',
      linesChanged: lines.size > 0,
      mustBeSellable: [...lines].map(([variantId, { index }]) => ({
        variantId,
        field: `/body/lines/${index}/variant_id`,
      })),
    },
    { cart, lines: cartLines },
  );
}

const stateFor = (tx: Executor, access: CartAccess) => (locked: CartWithLines) =>
  readCart(tx, locked, access);

/** Adds units of a variant; a variant already in the cart gets its quantity increased. */
export async function addLine(
  tx: Executor,
  cartId: string,
  access: CartAccess,
  expectedVersion: number | null,
  input: LineInput,
): Promise<PresentedCart> {
  const { cart, lines } = await lockCartForWrite(tx, cartId, access, expectedVersion, stateFor(tx, access));
  const existing = lines.find((line) => line.variant_id === input.variant_id);
  let written: CartLineRow;
  if (existing) {
    const quantity = existing.quantity + input.quantity;
    if (quantity > MAX_QUANTITY) throw quantityLimit('/body/quantity', quantity);
    written = await tx
      .updateTable('cart_lines')
      .set({ quantity, updated_at: sql`now()` })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  } else {
    if (lines.length >= MAX_LINES) {
      throw invalid(
        `A cart holds at most ${MAX_LINES} lines`,
        [{ field: '/body/variant_id', message: 'would be a line too many' }],
        'line_limit',
      );
    }
    written = await tx
      .insertInto('cart_lines')
      .values({
        id: newId('cali'),
        cart_id: cartId,
        variant_id: input.variant_id,
        quantity: input.quantity,
        unit_price: null,
        snapshot: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }
  return finishWrite(
    tx,
    cartId,
    access,
    {
      event: 'cart.updated',
      linesChanged: true,
      mustBeSellable: [{ variantId: input.variant_id, field: '/body/variant_id' }],
    },
    { cart, lines: withLine(lines, written) },
  );
}

export async function updateLine(
  tx: Executor,
  cartId: string,
  lineId: string,
  access: CartAccess,
  expectedVersion: number | null,
  input: { quantity: number },
): Promise<PresentedCart> {
  const { cart, lines } = await lockCartForWrite(tx, cartId, access, expectedVersion, stateFor(tx, access));
  const line = lines.find((candidate) => candidate.id === lineId);
  if (!line) throw notFound('Cart line', lineId);
  const written = await tx
    .updateTable('cart_lines')
    .set({ quantity: input.quantity, updated_at: sql`now()` })
    .where('id', '=', lineId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return finishWrite(
    tx,
    cartId,
    access,
    {
      event: 'cart.updated',
      linesChanged: true,
      // Fewer units of a line the channel stopped selling is fine; more is not.
      mustBeSellable:
        input.quantity > line.quantity ? [{ variantId: line.variant_id, field: '/body/quantity' }] : [],
    },
    { cart, lines: withLine(lines, written) },
  );
}

export async function removeLine(
  tx: Executor,
  cartId: string,
  lineId: string,
  access: CartAccess,
  expectedVersion: number | null,
): Promise<PresentedCart> {
  const { cart, lines } = await lockCartForWrite(tx, cartId, access, expectedVersion, stateFor(tx, access));
  if (!lines.some((line) => line.id === lineId)) throw notFound('Cart line', lineId);
  await tx.deleteFrom('cart_lines').where('id', '=', lineId).execute();
  return finishWrite(
    tx,
    cartId,
    access,
    { event: 'cart.updated', linesChanged: true },
    { cart, lines: lines.filter((line) => line.id !== lineId) },
  );
}

export async function updateCart(
  tx: Executor,
  cartId: string,
  access: CartAccess,
  expectedVersion: number | null,
  patch: CartPatch,
): Promise<PresentedCart> {
  const locked = await lockCartForWrite(tx, cartId, access, expectedVersion, stateFor(tx, access));
  checkAddresses(patch);
  const codes =
    patch.promotion_codes === undefined
      ? undefined
      : [...new Map(patch.promotion_codes.map((code) => [code.trim().toUpperCase(), code.trim()])).values()];
  // pg sends the address objects to their jsonb columns as JSON.
  const changed = {
    ...(patch.email !== undefined ? { email: patch.email } : {}),
    ...(patch.shipping_address !== undefined ? { shipping_address: patch.shipping_address } : {}),
    ...(patch.billing_address !== undefined ? { billing_address: patch.billing_address } : {}),
    ...(patch.shipping_option_id !== undefined ? { shipping_option_id: patch.shipping_option_id } : {}),
    ...(codes !== undefined ? { promotion_codes: codes } : {}),
  };
  return finishWrite(
    tx,
    cartId,
    access,
    {
      event: 'cart.updated',
      linesChanged: false,
      chosenShippingOption: patch.shipping_option_id ?? undefined,
      cartChanges: changed,
    },
    { cart: { ...locked.cart, ...changed }, lines: locked.lines },
  );
}

/**
 * Checkout calls this in the order's transaction once the order is written: the cart can
 * no longer change, and `cart.completed` carries its final state. `pricedAtCheckout` is the
 * cart as checkout priced it; when no write came in between (the version moved only by this
 * completion) it is the final state, and the cart is not read and priced again.
 */
export async function markCartCompleted(
  tx: Executor,
  cartId: string,
  orderId: string,
  pricedAtCheckout?: PricedCart,
): Promise<PresentedCart> {
  const completed = await tx
    .updateTable('carts')
    .set({
      status: 'completed',
      order_id: orderId,
      completed_at: sql`now()`,
      version: sql`version + 1`,
      updated_at: sql`now()`,
    })
    .where('id', '=', cartId)
    .where('status', '=', literal('active'))
    .returningAll()
    .executeTakeFirst();
  if (!completed) {
    const cart = await tx.selectFrom('carts').selectAll().where('id', '=', cartId).executeTakeFirst();
    if (!cart) throw notFound('Cart', cartId);
    throw new ApiError(409, 'cart_not_active', `The cart is ${cart.status} and can no longer change`, {
      cart_status: cart.status,
      order_id: cart.order_id,
    });
  }
  const unchanged = pricedAtCheckout && pricedAtCheckout.cart.version + 1 === completed.version;
  const priced = unchanged
    ? { ...pricedAtCheckout, cart: completed }
    : await priceCart(
        tx,
        { cart: completed, lines: (await getCart(tx, cartId)).lines },
        { cachedConfig: true },
      );
  const presented = presentCart(priced);
  await emitEvent(tx, {
    type: 'cart.completed',
    resourceType: 'cart',
    resourceId: cartId,
    channelId: completed.channel_id,
    customerId: completed.customer_id,
    data: presented,
  });
  return presented;
}
