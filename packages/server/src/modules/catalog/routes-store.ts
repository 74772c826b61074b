import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { channelCurrency } from '../../http/channel-currency.js';
import { FieldsQuery } from '../../http/heads.js';
import { notFound } from '../../http/problem.js';
import { Currency, errorResponses, MinorUnits, Page, PageQuery } from '../../http/schemas.js';
import { getAvailability, presentAvailability } from '../inventory/availability.js';
import type { PriceScope } from '../pricing/sql.js';
import { shopperAffinities } from '../search/affinities.js';
import { StoreCategory, StoreCollection, StoreProduct, StoreProductSummary, StoreSort } from './schema.js';
import { getStoreProduct, listPersonalisedStoreProducts, listStoreProducts } from './store.js';
import { buildCategoryTree, listCategories, listCollections } from './taxonomy.js';

const cached = { cacheControl: 'public, max-age=30' };
/** A personalised list is this shopper's alone: browsers may keep it, shared caches never. */
const PERSONALISED_CACHE_CONTROL = 'private, max-age=30';
const tags = ['Store'];

const CurrencyQuery = Type.Optional(
  Type.String({
    ...Currency,
    description: 'One of the channel’s currencies; defaults to its default currency',
  }),
);

/** The channel's prices in the requested currency, for an anonymous shopper. */
function priceScope(request: FastifyRequest, currency: string | undefined): PriceScope {
  return { channelId: request.channel.id, currency: channelCurrency(request, currency), now: new Date() };
}

function parseOptions(pairs: string[] | undefined) {
  return pairs?.map((pair) => {
    const at = pair.indexOf(':');
    return { name: pair.slice(0, at), value: pair.slice(at + 1) };
  });
}

export const catalogStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(StoreProductSummary);
  app.addSchema(StoreProduct);
  app.addSchema(StoreCategory);
  app.addSchema(StoreCollection);
  const db = app.merx.db;

  app.get(
    '/products',
    {
      config: { ...cached, headShape: 'product_list' },
      schema: {
        tags,
        summary: 'List products',
        description: `Published products of this channel's assortment with variants and their prices in one currency.

* \`category\` (ID or handle) includes subcategories; \`collection\` takes an ID or handle.
* \`price_min\` / \`price_max\` (minor units): some variant's price lies in the range.
* \`option=Size:M\` (repeatable): some variant has every named option at one of the values given for it, e.g. \`option=Size:M&option=Size:L&option=Color:Blue\`.
* \`q\`: case-insensitive substring of the title.
* \`sort\`: \`newest\` (default), \`price_asc\`, \`price_desc\` (by the lowest variant price; unpriced last), \`title\`, \`personalised\`.
* \`sort=personalised\` re-ranks the 100 newest matching products for the shopper — the signed-in customer (\`X-Customer-Token\`) or a consenting visitor (\`X-Visitor-Id\`), as \`/search\` does — with search's bounded blend: score = 1 × (1 + 0.2 × affinity), affinity in [0, 1] from the categories, brands and price band the shopper engaged with; equal scores stay newest first. Later pages continue newest first, each product listed once. A shopper with no history (or no consent) gets exactly the \`newest\` order. Personalised answers are \`Cache-Control: private\` and vary on \`X-Customer-Token\` and \`X-Visitor-Id\`: a shared cache never serves them to another shopper.
An unknown category or collection simply matches nothing.`,
        querystring: Type.Object(
          {
            ...PageQuery,
            sort: Type.Optional(StoreSort),
            currency: CurrencyQuery,
            category: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            collection: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            price_min: Type.Optional(MinorUnits),
            price_max: Type.Optional(MinorUnits),
            option: Type.Optional(
              Type.Array(Type.String({ pattern: '^[^:]+:.+$', maxLength: 201, examples: ['Size:M'] }), {
                maxItems: 20,
              }),
            ),
            q: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            fields: Type.Optional(FieldsQuery),
          },
          { additionalProperties: false },
        ),
        headers: Type.Object({
          'x-visitor-id': Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 100,
              description: 'Anonymous visitor, for `sort=personalised`',
            }),
          ),
        }),
        response: { 200: Page(Type.Ref('StoreProductSummary')), ...errorResponses() },
      },
      // Runs after the platform's caching hook, which marks every list answer public.
      onSend: async (request, reply, payload) => {
        if (
          (request.query as { sort?: string }).sort === 'personalised' &&
          reply.hasHeader('cache-control')
        ) {
          reply.header('cache-control', PERSONALISED_CACHE_CONTROL);
          reply.header('vary', 'Authorization, X-Customer-Token, X-Visitor-Id');
        }
        return payload;
      },
    },
    async (request) => {
      const { currency, price_min, price_max, option, sort, ...rest } = request.query;
      const scope = priceScope(request, currency);
      const query = { ...rest, priceMin: price_min, priceMax: price_max, options: parseOptions(option) };
      if (sort !== 'personalised') return listStoreProducts(db, scope, { ...query, sort: sort ?? 'newest' });
      const affinities = await shopperAffinities(db, {
        channelId: request.channel.id,
        customerId: request.customer?.id ?? null,
        visitorId: request.headers['x-visitor-id'] ?? null,
      });
      return listPersonalisedStoreProducts(db, scope, query, affinities);
    },
  );

  app.get(
    '/products/:idOrHandle',
    {
      config: { ...cached, headShape: 'product' },
      schema: {
        tags,
        summary: 'Get a product',
        description:
          'By ID (`prod_…`) or handle, with variants, their prices in the requested currency and their availability in this channel. Drafts, archived products and products outside the channel’s assortment are 404.',
        params: Type.Object({
          idOrHandle: Type.String({ minLength: 1, maxLength: 200, examples: ['linen-shirt'] }),
        }),
        querystring: Type.Object(
          { currency: CurrencyQuery, fields: Type.Optional(FieldsQuery) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Ref('StoreProduct'), ...errorResponses(404) },
      },
    },
    async (request) => {
      const product = await getStoreProduct(
        db,
        priceScope(request, request.query.currency),
        request.params.idOrHandle,
      );
      if (!product) throw notFound('Product', request.params.idOrHandle);
      const stock = await getAvailability(db, {
        channelId: request.channel.id,
        variantIds: product.variants.map((v) => v.id),
      });
      return {
        ...product,
        variants: product.variants.map((variant) => {
          const availability = stock.get(variant.id);
          return { ...variant, availability: availability ? presentAvailability(availability) : null };
        }),
      };
    },
  );

  app.get(
    '/categories',
    {
      config: cached,
      schema: {
        tags,
        summary: 'Category tree',
        description: 'Every category, nested under its parent and ordered by position.',
        response: { 200: Type.Object({ data: Type.Array(Type.Ref('StoreCategory')) }), ...errorResponses() },
      },
    },
    async () => ({ data: buildCategoryTree(await listCategories(db)) }),
  );

  app.get(
    '/collections',
    {
      config: cached,
      schema: {
        tags,
        summary: 'Collections',
        description: 'Every collection, by title.',
        response: {
          200: Type.Object({ data: Type.Array(Type.Ref('StoreCollection')) }),
          ...errorResponses(),
        },
      },
    },
    async () => ({
      data: (await listCollections(db)).map(({ id, handle, title, description }) => ({
        id,
        handle,
        title,
        description,
      })),
    }),
  );
};
