import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { inTransaction } from '../../db/transaction.js';
import { expectedVersion } from '../../http/concurrency.js';
import { errorResponses, IdParam, IfMatchHeaders } from '../../http/schemas.js';
import { getChannel } from '../channels/service.js';
import { requireCustomer } from '../customers/session.js';
import { authorizeCart, cartAccessOf, currentCartOf } from './access.js';
import { getMergeSettings, mergeCartsAtLogin, setMergeSettings } from './merge.js';
import { priceCart } from './pricing.js';
import {
  Cart,
  CartCreate,
  CartUpdate,
  LineCreate,
  LineUpdate,
  MergeSettings,
  MergeSettingsUpdate,
  ShippingQuote,
} from './schema.js';
import { addLine, createCart, readCart, removeLine, updateCart, updateLine } from './service.js';

const tags = ['Carts'];
const LineParams = Type.Object({
  id: IdParam('cart').properties.id,
  line_id: Type.String({ minLength: 3, maxLength: 64, examples: ['cali_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
});
const WRITE_NOTE =
  ' Send `If-Match: <version>` to refuse the write when another device changed the cart first (409 with `current`). Emits `cart.updated` with the full cart.';

export const cartStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Cart);
  const CartRef = Type.Ref('Cart');
  const db = app.merx.db;

  app.post(
    '/carts',
    {
      schema: {
        tags,
        summary: 'Create a cart',
        description:
          'Opens a cart in the key’s channel, in `currency` (one of the channel’s, default its default currency). With `X-Customer-Token` the cart belongs to that customer and opens only with their session, from any channel; without it the cart is anonymous and opens by its unguessable ID through this channel only. Optional `lines` are added at once. Prices always come from the server. Emits `cart.created`.',
        body: CartCreate,
        response: { 201: CartRef, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) => {
      const access = { ...cartAccessOf(request), customerEmail: request.customer?.email ?? null };
      const cart = await inTransaction(db, (tx) => createCart(tx, access, request.body));
      return reply.status(201).send(cart);
    },
  );

  app.get(
    '/carts/current',
    {
      schema: {
        tags,
        summary: 'The signed-in customer’s current cart',
        description:
          'The customer’s most recently changed active cart, whichever channel it was started in, priced for the calling channel (`repriced_for_channel` says when that differs). This is how a second head of the same shopper picks the cart up. Needs `X-Customer-Token`; 404 when the customer has no active cart.',
        response: { 200: CartRef, ...errorResponses(404) },
      },
    },
    async (request) => {
      const customer = requireCustomer(request);
      return readCart(db, await currentCartOf(db, customer.id), cartAccessOf(request));
    },
  );

  app.get(
    '/carts/:id',
    {
      schema: {
        tags,
        summary: 'Get a cart',
        description:
          'The cart priced now: lines with product facts, current unit prices (`previous_unit_price` when a price changed since the last write), stock, promotions, tax and totals. Another customer’s cart, or an anonymous cart of another channel, is 404. The owner may read their cart through any channel: prices are then selected for the calling channel and `repriced_for_channel` says so.',
        params: IdParam('cart'),
        response: { 200: CartRef, ...errorResponses(404) },
      },
    },
    async (request) => {
      const access = cartAccessOf(request);
      return readCart(db, await authorizeCart(db, request.params.id, access), access);
    },
  );

  app.patch(
    '/carts/:id',
    {
      schema: {
        tags,
        summary: 'Update a cart',
        description: `Sets email, addresses, the shipping option (one of \`GET /carts/{id}/shipping-options\`; 422 \`shipping_option_unavailable\` otherwise) and promotion codes (replacing the list). A shipping option that stops serving the cart (e.g. a new address) is cleared. Totals, prices and holds are never taken from the body.${WRITE_NOTE}`,
        params: IdParam('cart'),
        headers: IfMatchHeaders,
        body: CartUpdate,
        response: { 200: CartRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      inTransaction(db, (tx) =>
        updateCart(tx, request.params.id, cartAccessOf(request), expectedVersion(request), request.body),
      ),
  );

  app.post(
    '/carts/:id/lines',
    {
      schema: {
        tags,
        summary: 'Add a line',
        description: `Adds \`quantity\` (1 to 999) of a variant the channel sells (else 422 \`variant_not_sellable\`); a variant already in the cart has its quantity increased (at most 999: 422 \`quantity_limit\`). A cart holds at most 100 lines (422 \`line_limit\`). When the channel reserves at add-to-cart, the units are held for the reservation TTL (renewed on each cart write), or 409 \`out_of_stock\` names the variants that cannot be held.${WRITE_NOTE}`,
        params: IdParam('cart'),
        headers: IfMatchHeaders,
        body: LineCreate,
        response: { 200: CartRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      inTransaction(db, (tx) =>
        addLine(tx, request.params.id, cartAccessOf(request), expectedVersion(request), request.body),
      ),
  );

  app.patch(
    '/carts/:id/lines/:line_id',
    {
      schema: {
        tags,
        summary: 'Change a line’s quantity',
        description: `Sets the quantity (1 to 999); remove a line with DELETE.${WRITE_NOTE}`,
        params: LineParams,
        headers: IfMatchHeaders,
        body: LineUpdate,
        response: { 200: CartRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      inTransaction(db, (tx) =>
        updateLine(
          tx,
          request.params.id,
          request.params.line_id,
          cartAccessOf(request),
          expectedVersion(request),
          request.body,
        ),
      ),
  );

  app.delete(
    '/carts/:id/lines/:line_id',
    {
      schema: {
        tags,
        summary: 'Remove a line',
        description: `Removes the line and gives back any stock held for it. Answers with the cart.${WRITE_NOTE}`,
        params: LineParams,
        headers: IfMatchHeaders,
        response: { 200: CartRef, ...errorResponses(404, 409) },
      },
    },
    async (request) =>
      inTransaction(db, (tx) =>
        removeLine(
          tx,
          request.params.id,
          request.params.line_id,
          cartAccessOf(request),
          expectedVersion(request),
        ),
      ),
  );

  app.get(
    '/carts/:id/shipping-options',
    {
      schema: {
        tags,
        summary: 'Shipping options for a cart',
        description:
          'The active options of the region of the cart’s shipping address, in the cart’s currency, each priced for this cart (merchandise after discounts, total weight). Empty until a shipping address in a region is set.',
        params: IdParam('cart'),
        response: { 200: Type.Object({ data: Type.Array(ShippingQuote) }), ...errorResponses(404) },
      },
    },
    async (request) => {
      const access = cartAccessOf(request);
      const cart = await authorizeCart(db, request.params.id, access);
      const priced = await priceCart(db, cart, {
        channelId: access.channelId,
        cachedConfig: true,
        withAvailability: false,
      });
      return {
        data: priced.shippingQuotes.map((quote) => ({
          id: quote.option.id,
          name: quote.option.name,
          kind: quote.option.kind,
          amount: quote.amount,
          currency: quote.currency,
          selected: quote.option.id === cart.cart.shipping_option_id,
        })),
      };
    },
  );

  app.post(
    '/carts/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge a guest cart into the signed-in customer’s cart',
        description:
          'For heads that sign in with a cart already open: folds the anonymous cart `{id}` (of this channel) into the customer’s active cart under the channel’s merge policy (`keep_guest`, `keep_customer`, `merge_lines`) and says what was merged. Needs `X-Customer-Token`.',
        params: IdParam('cart'),
        response: {
          200: Type.Object({
            cart_id: Type.String(),
            policy: MergeSettings.properties.merge_policy,
            merged_lines: Type.Array(
              Type.Object({ variant_id: Type.String(), quantity: Type.Integer(), dropped: Type.Integer() }),
            ),
            cart: CartRef,
          }),
          ...errorResponses(404, 409),
        },
      },
    },
    async (request) => {
      const customer = requireCustomer(request);
      return inTransaction(db, (tx) =>
        mergeCartsAtLogin(tx, {
          guestCartId: request.params.id,
          customerId: customer.id,
          access: cartAccessOf(request),
        }),
      );
    },
  );
};

export const cartAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const db = app.merx.db;
  const params = Type.Object({ channel_id: Type.String({ minLength: 3, maxLength: 64 }) });

  app.get(
    '/cart-settings/:channel_id',
    {
      config: { scope: 'settings:read' },
      schema: {
        tags,
        summary: 'Cart settings of a channel',
        description: 'The login merge policy of the channel (default `merge_lines`).',
        params,
        response: { 200: MergeSettings, ...errorResponses(404) },
      },
    },
    async (request) => {
      await getChannel(db, request.params.channel_id);
      return getMergeSettings(db, request.params.channel_id);
    },
  );

  app.put(
    '/cart-settings/:channel_id',
    {
      config: { scope: 'settings:write' },
      schema: {
        tags,
        summary: 'Choose how guest carts merge at login',
        description:
          '`keep_guest`: the cart of the device signing in wins; `keep_customer`: the customer’s saved cart wins; `merge_lines`: lines are combined (quantities summed up to 999). Honours `If-Match` (version 0 = default).',
        params,
        headers: IfMatchHeaders,
        body: MergeSettingsUpdate,
        response: { 200: MergeSettings, ...errorResponses(404, 409) },
      },
    },
    async (request) =>
      setMergeSettings(db, request.params.channel_id, request.body.merge_policy, expectedVersion(request)),
  );
};
