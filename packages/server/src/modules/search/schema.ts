import { Type } from 'typebox';
import { Currency, MinorUnits, PageQuery } from '../../http/schemas.js';
import { SEARCH_CAP } from './query.js';

const cap = SEARCH_CAP.toLocaleString('en');

export const SearchSortSchema = Type.Union(
  (['relevance', 'price_asc', 'price_desc', 'newest', 'title', 'personalised'] as const).map((sort) =>
    Type.Literal(sort),
  ),
  {
    description:
      '`relevance` (default with `q`; needs `q`), `newest` (default without `q`), `price_asc` / `price_desc` (by from-price, unpriced last), `title`, `personalised` (relevance re-ranked by the shopper’s affinities, bounded)',
  },
);

export const SearchQuerystring = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Words to find in titles, SKUs, categories, attributes, option values and descriptions',
        examples: ['tshirt'],
      }),
    ),
    ...PageQuery,
    sort: Type.Optional(SearchSortSchema),
    currency: Type.Optional(
      Type.String({
        ...Currency,
        description: 'One of the channel’s currencies; defaults to its default currency',
      }),
    ),
    category: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Category ID or handle; includes subcategories',
      }),
    ),
    collection: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'Collection ID or handle' }),
    ),
    option: Type.Optional(
      Type.Array(Type.String({ pattern: '^[^:]+:.+$', maxLength: 201, examples: ['Size:M'] }), {
        maxItems: 20,
        description:
          'Repeatable `Name:Value`: for every named option some variant has one of the values given for it',
      }),
    ),
    price_min: Type.Optional(MinorUnits),
    price_max: Type.Optional(MinorUnits),
    in_stock: Type.Optional(
      Type.Boolean({ description: 'Only products that can (true) or cannot (false) be sold now' }),
    ),
    facets: Type.Optional(
      Type.Boolean({ default: true, description: 'Compute facets (turn off for later pages to save time)' }),
    ),
  },
  { additionalProperties: false },
);

const FacetCount = Type.Integer({ minimum: 0 });

export const SearchHit = Type.Object(
  {
    id: Type.String(),
    handle: Type.String(),
    title: Type.String(),
    image_url: Type.Union([Type.String(), Type.Null()]),
    price_range: Type.Union([
      Type.Object({ currency: Currency, min: MinorUnits, max: MinorUnits }),
      Type.Null(),
    ]),
    in_stock: Type.Boolean(),
    category_ids: Type.Array(Type.String(), { description: 'The product’s categories and their ancestors' }),
    collection_ids: Type.Array(Type.String()),
    score: Type.Number({ description: 'Relevance (1 when there is no `q`)' }),
  },
  { $id: 'SearchHit' },
);

const Facets = Type.Object(
  {
    categories: Type.Array(
      Type.Object({
        id: Type.String(),
        handle: Type.Union([Type.String(), Type.Null()]),
        name: Type.Union([Type.String(), Type.Null()]),
        count: FacetCount,
      }),
    ),
    collections: Type.Array(
      Type.Object({
        id: Type.String(),
        handle: Type.Union([Type.String(), Type.Null()]),
        title: Type.Union([Type.String(), Type.Null()]),
        count: FacetCount,
      }),
    ),
    options: Type.Array(
      Type.Object({
        name: Type.String(),
        values: Type.Array(Type.Object({ value: Type.String(), count: FacetCount })),
      }),
    ),
    price: Type.Array(
      Type.Object({
        min: MinorUnits,
        max: Type.Union([MinorUnits, Type.Null()]),
        count: FacetCount,
      }),
      { description: 'From-price buckets; pass `min`/`max` back as `price_min`/`price_max`' },
    ),
    in_stock: Type.Object({ true: FacetCount, false: FacetCount }),
  },
  {
    description:
      'Disjunctive: each facet applies every filter except its own, so a value’s count is the `total` you get by setting that facet to that value.',
  },
);

export const SearchResult = Type.Object(
  {
    data: Type.Array(Type.Ref('SearchHit')),
    has_more: Type.Boolean(),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
    total: Type.Integer({
      minimum: 0,
      description: `How many products match in all; when \`total_exact\` is false, at least this many`,
    }),
    total_exact: Type.Boolean({
      description: `False when ${cap} or more products match: the search then stops at the first ${cap} (products matching in their title, category, attributes or options before those matching only in their description or SKUs), \`total\` is ${cap}, and the results, their order and their pages come from those ${cap}. Narrow the query or filter to get an exact answer.`,
    }),
    corrections: Type.Array(Type.Object({ token: Type.String(), corrected_to: Type.Array(Type.String()) }), {
      description: 'Query words matched through typo correction ("did you mean")',
    }),
    facets: Type.Union([Facets, Type.Null()]),
    facets_exact: Type.Boolean({
      description: `False when the words alone (without words, the channel's assortment) match ${cap} or more products: the facets then count the first ${cap} of them (title, category, attribute and option matches before description and SKU ones; without words the newest), not every match.`,
    }),
  },
  { $id: 'SearchResult' },
);

export const SuggestQuerystring = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 100, examples: ['runn'] }),
    limit: Type.Integer({ minimum: 1, maximum: 10, default: 10 }),
  },
  { additionalProperties: false },
);

export const Suggestions = Type.Object({
  data: Type.Array(
    Type.Object({
      type: Type.Union([Type.Literal('category'), Type.Literal('product')]),
      id: Type.String(),
      handle: Type.String(),
      text: Type.String({ description: 'Category name or product title to show' }),
    }),
  ),
});
