import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { channelCurrency } from '../../http/channel-currency.js';
import { ApiError } from '../../http/problem.js';
import { errorResponses } from '../../http/schemas.js';
import { shopperAffinities } from './affinities.js';
import { SEARCH_CAP } from './query.js';
import { SearchHit, SearchQuerystring, SearchResult, Suggestions, SuggestQuerystring } from './schema.js';
import { searchProducts } from './service.js';
import { suggest } from './suggest.js';

const tags = ['Search'];

function parseOptions(pairs: string[] | undefined) {
  return pairs?.map((pair) => {
    const at = pair.indexOf(':');
    return { name: pair.slice(0, at), value: pair.slice(at + 1) };
  });
}

export const searchStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(SearchHit);
  app.addSchema(SearchResult);
  const db = app.merx.db;

  app.get(
    '/search',
    {
      schema: {
        tags,
        summary: 'Search products',
        description: `Full-text search over this channel's published assortment: titles, category names, attributes (brand…), option values, SKUs, barcodes and descriptions. Relevance ranks title words most, then category, attribute and option words; a match only in a description or a SKU counts through title similarity alone.

* Typo tolerant ("tshirt", "t-shrit" find T-shirts; corrected words are listed in \`corrections\`) and prefix matching ("runn" finds running shoes). Every word must match.
* Filters combine with \`q\` and with each other: \`category\` (with subcategories), \`collection\`, \`option=Size:M\` (repeatable; values of one option are alternatives), \`price_min\`/\`price_max\` on the from-price (minor units, channel currency), \`in_stock\`.
* \`facets\` count categories, collections, option values, price buckets and stock. They are disjunctive: each applies every filter but its own, so a value's count is exactly the \`total\` after choosing it.
* A search works on at most ${SEARCH_CAP} matches (keyword matches first: title, category, attributes, options; then description and SKU matches). Past that, \`total_exact\` and \`facets_exact\` say so; filters still find every match up to the same cap.
* \`sort=personalised\` re-ranks the best 100 results by the shopper's affinities (signed-in customer, or \`X-Visitor-Id\`) with a bounded blend: final = relevance × (1 + 0.2 × affinity), affinity in [0, 1].
* The index follows catalog, price and stock writes in the same transaction.`,
        querystring: SearchQuerystring,
        headers: Type.Object({
          'x-visitor-id': Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 100,
              description: 'Anonymous visitor, for `sort=personalised`',
            }),
          ),
        }),
        response: { 200: Type.Ref('SearchResult'), ...errorResponses() },
      },
    },
    async (request) => {
      const query = request.query;
      if (query.price_min !== undefined && query.price_max !== undefined && query.price_min > query.price_max)
        throw new ApiError(400, 'invalid_request', 'price_min is above price_max', {
          errors: [{ field: '/querystring/price_min', message: 'must not exceed price_max' }],
        });
      const affinities =
        query.sort === 'personalised'
          ? await shopperAffinities(db, {
              channelId: request.channel.id,
              customerId: request.customer?.id ?? null,
              visitorId: request.headers['x-visitor-id'] ?? null,
            })
          : null;
      return searchProducts(db, {
        channelId: request.channel.id,
        currency: channelCurrency(request, query.currency),
        q: query.q,
        filters: {
          category: query.category,
          collection: query.collection,
          options: parseOptions(query.option),
          priceMin: query.price_min,
          priceMax: query.price_max,
          inStock: query.in_stock,
        },
        sort: query.sort,
        limit: query.limit,
        cursor: query.cursor,
        facets: query.facets ?? true,
        affinities,
      });
    },
  );

  app.get(
    '/search/suggest',
    {
      config: { cacheControl: 'public, max-age=60' },
      schema: {
        tags,
        summary: 'Autocomplete',
        description:
          'Up to `limit` (≤ 10) suggestions while the shopper types: category names first (at most 3, only categories holding something this channel sells), then product titles. Prefix and typo tolerant ("runn" → Running shoes).',
        querystring: SuggestQuerystring,
        response: { 200: Suggestions, ...errorResponses() },
      },
    },
    async (request) => ({
      data: await suggest(db, {
        channelId: request.channel.id,
        q: request.query.q,
        limit: request.query.limit,
      }),
    }),
  );
};
