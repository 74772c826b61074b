import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { inTransaction } from '../../db/transaction.js';
import { channelCurrency } from '../../http/channel-currency.js';
import { ApiError } from '../../http/problem.js';
import { errorResponses } from '../../http/schemas.js';
import { authorizeCart, cartAccessOf } from '../cart/index.js';
import { requireCustomer } from '../customers/index.js';
import { getCustomerSegmentIds } from '../segments/index.js';
import { forgetAffinities } from './affinities.js';
import { productIdsOfVariants } from './catalog-facts.js';
import { type Intent, recommend } from './recommendations.js';
import {
  DeletedData,
  EventBatch,
  EventBatchResult,
  Recommendation,
  RecommendationList,
  RecommendationQuerystring,
  ShopperData,
  StitchBody,
  StitchResult,
  VisitorHeaders,
} from './schema.js';
import { deleteShopperData, exportShopperData, stitchVisitorToCustomer, trackEvents } from './tracking.js';

const tags = ['Personalisation'];

function intentOf(query: { intent?: Intent; product?: string; cart?: string }): Intent {
  const intent = query.intent ?? (query.cart ? 'complementary' : query.product ? 'related' : undefined);
  const problem = (field: string, message: string) =>
    new ApiError(400, 'invalid_request', `${field} ${message}`, { errors: [{ field, message }] });
  if (!intent) throw problem('/querystring/intent', 'is required without product or cart');
  if (query.product && query.cart) throw problem('/querystring/cart', 'cannot be combined with product');
  if (intent === 'related' && !query.product)
    throw problem('/querystring/product', 'is required for related');
  if (intent === 'complementary' && !query.product && !query.cart)
    throw problem('/querystring/product', 'or cart is required for complementary');
  if (intent !== 'related' && intent !== 'complementary' && (query.product || query.cart))
    throw problem(
      query.product ? '/querystring/product' : '/querystring/cart',
      `does not apply to ${intent}`,
    );
  if (intent === 'related' && query.cart) throw problem('/querystring/cart', 'does not apply to related');
  return intent;
}

const shopperOf = (request: FastifyRequest, visitorId: string | undefined) => ({
  channelId: request.channel.id,
  customerId: request.customer?.id ?? null,
  visitorId: visitorId ?? null,
});

export const personalisationStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Recommendation);
  const db = app.merx.db;

  app.post(
    '/events',
    {
      schema: {
        tags,
        summary: 'Record shopper interactions',
        description: `A batch of up to 50 interactions (\`product_view\`, \`search\`, \`add_to_cart\`, \`list_click\`) of the signed-in customer (\`X-Customer-Token\`) or of an anonymous \`visitor_id\`. Purchases are recorded from orders automatically.

**Only with consent.** A signed-in customer's \`consent_personalisation\` decides; a visitor consents by sending \`consent: true\` (once is enough; \`consent: false\` withdraws it and deletes the visitor's history). Without consent nothing is stored and the answer is still 202, with \`stored: 0\`. After login, call \`POST /customers/me/visitor\` to attach the visitor's history to the customer.`,
        body: EventBatch,
        response: { 202: EventBatchResult, ...errorResponses(404, 422) },
      },
    },
    async (request, reply) =>
      reply.status(202).send(
        await trackEvents(db, {
          channelId: request.channel.id,
          customerId: request.customer?.id ?? null,
          visitorId: request.body.visitor_id ?? null,
          consent: request.body.consent,
          events: request.body.events,
        }),
      ),
  );

  app.get(
    '/recommendations',
    {
      schema: {
        tags,
        summary: 'Recommendations for this shopper',
        description: `Products this channel sells and has in stock, best first, each with the \`reason\` it was chosen and its price for this shopper (group and segment prices included).

* \`product={id}&intent=related\` — viewed or bought together (item-to-item cosine on co-views and co-purchases); products with little history fall back to similar products (categories, attributes, title).
* \`product={id}&intent=complementary\` or \`cart={id}\` — frequently bought together, never what is already in the cart. A cart opens with the same rules as \`GET /carts/{id}\`.
* \`intent=for_you\` — from the shopper's own views, carts and orders (signed in, or \`X-Visitor-Id\` of a consenting visitor), else trending.
* \`intent=trending\` — time-decayed popularity in this channel (half-life 7 days).
* \`intent=recently_viewed\` — the shopper's own recent views.

Lists are short (\`limit\` ≤ 20) and may be shorter when few candidates are on sale and in stock.`,
        querystring: RecommendationQuerystring,
        headers: VisitorHeaders,
        response: { 200: RecommendationList, ...errorResponses(404) },
      },
    },
    async (request) => {
      const query = request.query;
      const intent = intentOf(query);
      const basket = query.cart
        ? await productIdsOfVariants(
            db,
            (await authorizeCart(db, query.cart, cartAccessOf(request))).lines.map((line) => line.variant_id),
          )
        : undefined;
      const customer = request.customer;
      const data = await recommend(db, {
        intent,
        shopper: shopperOf(request, request.headers['x-visitor-id']),
        productId: query.product,
        basket,
        limit: query.limit,
        channelId: request.channel.id,
        currency: channelCurrency(request, query.currency),
        customerGroupIds: customer?.groupIds ?? [],
        segmentIds: customer ? await getCustomerSegmentIds(db, customer.id) : [],
      });
      return { intent, data };
    },
  );

  app.post(
    '/customers/me/visitor',
    {
      schema: {
        tags,
        summary: 'Attach a visitor’s history to the signed-in customer',
        description:
          'Heads call this right after login with the visitor ID they used while anonymous: the consented anonymous history becomes the customer’s (only if the customer consents to personalisation; otherwise it stays anonymous and `stitched` is false). A visitor ID already attached to another customer is refused with 409 `visitor_belongs_to_another_customer`: start a fresh visitor ID after logout.',
        body: StitchBody,
        response: { 200: StitchResult, ...errorResponses(409) },
      },
    },
    async (request) => {
      const customer = requireCustomer(request);
      const visitorId = request.body.visitor_id;
      const result = await inTransaction(db, (tx) =>
        stitchVisitorToCustomer(tx, { visitorId, customerId: customer.id }),
      );
      return { visitor_id: visitorId, ...result };
    },
  );

  app.get(
    '/customers/me/data',
    {
      schema: {
        tags,
        summary: 'Export my interaction data',
        description:
          'Everything personalisation keeps about the signed-in customer, as JSON: the consent flag, the visitor IDs attached at login, and every stored interaction (views, searches, cart adds, list clicks, purchases).',
        response: { 200: ShopperData, ...errorResponses() },
      },
    },
    async (request) => {
      const customer = requireCustomer(request);
      const data = await exportShopperData(db, customer.id);
      return {
        customer_id: customer.id,
        consent_personalisation: data.consent.personalisation,
        visitors: data.visitors.map((v) => ({
          id: v.id,
          channel_id: v.channel_id,
          consented_at: v.consented_at.toISOString(),
          stitched_at: v.stitched_at?.toISOString() ?? null,
        })),
        interactions: data.interactions.map((row) => ({
          id: String(row.id),
          type: row.kind,
          channel_id: row.channel_id,
          visitor_id: row.visitor_id,
          product_id: row.product_id,
          query: row.query,
          list: row.list,
          quantity: row.quantity,
          order_id: row.order_id,
          occurred_at: row.occurred_at.toISOString(),
        })),
      };
    },
  );

  app.delete(
    '/customers/me/data',
    {
      schema: {
        tags,
        summary: 'Delete my interaction data',
        description:
          'Removes every stored interaction of the signed-in customer and every visitor ID attached to them, with its anonymous history. Anonymous aggregate statistics (how often products are bought together) hold no shopper and are kept. Consent is a profile setting (`PATCH /customers/me`): turn it off to stop new tracking.',
        response: { 200: DeletedData, ...errorResponses() },
      },
    },
    async (request) => {
      const deleted = await deleteShopperData(db, requireCustomer(request).id);
      forgetAffinities();
      return { deleted };
    },
  );
};
