import { Type } from 'typebox';
import { Currency, MinorUnits, Timestamp } from '../../http/schemas.js';
import { VISITOR_ID_PATTERN } from './tracking.js';

const ProductId = Type.String({ minLength: 3, maxLength: 64, examples: ['prod_01jd8x2k3m4n5p6q7r8s9t0v1w'] });

export const VisitorId = Type.String({
  pattern: VISITOR_ID_PATTERN,
  description:
    'Anonymous visitor ID the head generates once per browser or device (16–64 of A–Z a–z 0–9 _ -), e.g. a UUID',
  examples: ['3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a13'],
});

export const TrackedEvent = Type.Object(
  {
    type: Type.Union(
      (['product_view', 'search', 'add_to_cart', 'list_click'] as const).map((t) => Type.Literal(t)),
      { description: 'What the shopper did' },
    ),
    product_id: Type.Optional(ProductId),
    query: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'The search text (search only)' }),
    ),
    list: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'Which list the click came from (list_click only), e.g. `recommendations:related`',
      }),
    ),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 999, description: 'add_to_cart only' })),
  },
  { additionalProperties: false },
);

export const EventBatch = Type.Object(
  {
    visitor_id: Type.Optional(VisitorId),
    consent: Type.Optional(
      Type.Boolean({
        description:
          'Visitors only. `true` records the visitor’s consent to personalisation (send it once the shopper agreed); `false` withdraws it and deletes the visitor’s history. Signed-in customers consent through `consent_personalisation` on their profile.',
      }),
    ),
    events: Type.Array(TrackedEvent, { minItems: 1, maxItems: 50 }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        visitor_id: '3f2b8c1e-9d4a-4e6b-8f1a-2c7d5e9b0a13',
        consent: true,
        events: [
          { type: 'product_view', product_id: 'prod_01jd8x2k3m4n5p6q7r8s9t0v1w' },
          { type: 'search', query: 'running shoes' },
        ],
      },
    ],
  },
);

export const EventBatchResult = Type.Object({
  stored: Type.Integer({ description: 'Events stored: 0 without consent' }),
  consent: Type.Boolean({ description: 'Whether this shopper has consented to personalisation' }),
});

const IntentLiteral = Type.Union([
  Type.Literal('related'),
  Type.Literal('complementary'),
  Type.Literal('for_you'),
  Type.Literal('trending'),
  Type.Literal('recently_viewed'),
]);

export const RecommendationQuerystring = Type.Object(
  {
    intent: Type.Optional(
      Type.Union(IntentLiteral.anyOf, {
        description: 'Defaults to `related` with `product`, `complementary` with `cart`',
      }),
    ),
    product: Type.Optional(ProductId),
    cart: Type.Optional(
      Type.String({ minLength: 3, maxLength: 64, description: 'A cart the caller may open' }),
    ),
    limit: Type.Integer({ minimum: 1, maximum: 20, default: 10 }),
    currency: Type.Optional(Currency),
  },
  { additionalProperties: false },
);

export const VisitorHeaders = Type.Object({
  'x-visitor-id': Type.Optional(VisitorId),
});

export const Recommendation = Type.Object(
  {
    product_id: Type.String(),
    handle: Type.String(),
    title: Type.String(),
    image_url: Type.Union([Type.String(), Type.Null()]),
    price: Type.Object(
      { amount: MinorUnits, currency: Currency },
      { description: 'From-price for this shopper' },
    ),
    score: Type.Number(),
    reason: Type.String({ examples: ['bought together with Espresso cups', 'popular this week'] }),
  },
  { $id: 'Recommendation' },
);

export const RecommendationList = Type.Object({
  intent: IntentLiteral,
  data: Type.Array(Type.Ref('Recommendation')),
});

export const StitchBody = Type.Object({ visitor_id: VisitorId }, { additionalProperties: false });

export const StitchResult = Type.Object({
  visitor_id: Type.String(),
  stitched: Type.Boolean({
    description:
      'False when the visitor never consented (nothing to stitch) or the customer has not consented',
  }),
  moved: Type.Integer({ description: 'Anonymous interactions now attributed to the customer' }),
});

export const ShopperData = Type.Object({
  customer_id: Type.String(),
  consent_personalisation: Type.Boolean(),
  visitors: Type.Array(
    Type.Object({
      id: Type.String(),
      channel_id: Type.String(),
      consented_at: Timestamp,
      stitched_at: Type.Union([Timestamp, Type.Null()]),
    }),
  ),
  interactions: Type.Array(
    Type.Object({
      id: Type.String(),
      type: Type.String(),
      channel_id: Type.String(),
      visitor_id: Type.Union([Type.String(), Type.Null()]),
      product_id: Type.Union([Type.String(), Type.Null()]),
      query: Type.Union([Type.String(), Type.Null()]),
      list: Type.Union([Type.String(), Type.Null()]),
      quantity: Type.Union([Type.Integer(), Type.Null()]),
      order_id: Type.Union([Type.String(), Type.Null()]),
      occurred_at: Timestamp,
    }),
  ),
});

export const DeletedData = Type.Object({
  deleted: Type.Object({ interactions: Type.Integer(), visitors: Type.Integer() }),
});
