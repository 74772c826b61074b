import { type Static, Type } from 'typebox';
import { Currency, Metadata, MinorUnits, Timestamp } from '../../http/schemas.js';

const Ids = (description: string) =>
  Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 500, uniqueItems: true, description });

export const PromotionTargetSchema = Type.Union(
  [
    Type.Object({ type: Type.Literal('order') }, { additionalProperties: false }),
    Type.Object(
      { type: Type.Literal('products'), product_ids: Ids('Products whose lines are discounted') },
      { additionalProperties: false },
    ),
    Type.Object(
      { type: Type.Literal('categories'), category_ids: Ids('Lines in any of these categories') },
      { additionalProperties: false },
    ),
    Type.Object(
      { type: Type.Literal('collections'), collection_ids: Ids('Lines in any of these collections') },
      { additionalProperties: false },
    ),
  ],
  { description: 'Which cart lines the discount applies to' },
);

export const BuyXGetYSchema = Type.Object(
  {
    buy_quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
    get_quantity: Type.Integer({ minimum: 1, maximum: 1000 }),
    get_discount_bps: Type.Integer({
      minimum: 0,
      maximum: 10_000,
      description: 'Discount on each "get" unit in basis points; 10000 makes it free',
    }),
  },
  { additionalProperties: false },
);

export const PromotionConditionsSchema = Type.Object(
  {
    min_subtotal: Type.Optional(Type.Union([MinorUnits, Type.Null()])),
    customer_group_ids: Type.Optional(Ids('Only customers in one of these groups (empty: anyone)')),
    segment_ids: Type.Optional(Ids('Only customers in one of these segments (empty: anyone)')),
    channel_ids: Type.Optional(Ids('Only on these channels (empty: every channel)')),
    starts_at: Type.Optional(Type.Union([Timestamp, Type.Null()])),
    ends_at: Type.Optional(Type.Union([Timestamp, Type.Null()], { description: 'Exclusive' })),
    currency: Type.Optional(
      Type.Union([Currency, Type.Null()], { description: 'Required for fixed-amount promotions' }),
    ),
  },
  { additionalProperties: false },
);

const Kind = Type.Union([Type.Literal('percentage'), Type.Literal('fixed'), Type.Literal('buy_x_get_y')], {
  description:
    'percentage: `value` in basis points; fixed: `value` in minor units; buy_x_get_y: see buy_x_get_y',
});
const Code = Type.Union(
  [Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$', examples: ['SUMMER10'] }), Type.Null()],
  {
    description: 'What the shopper types (matched case-insensitively); null makes the promotion automatic',
  },
);
const UsageLimit = Type.Union([Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), Type.Null()]);

const writable = {
  name: Type.String({ minLength: 1, maxLength: 200, examples: ['Summer sale'] }),
  code: Code,
  kind: Kind,
  value: Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, examples: [1000] }),
  target: PromotionTargetSchema,
  buy_x_get_y: Type.Union([BuyXGetYSchema, Type.Null()]),
  conditions: PromotionConditionsSchema,
  priority: Type.Integer({ minimum: -1000, maximum: 1000, description: 'Higher applies first' }),
  combinable: Type.Boolean({ description: 'Whether it stacks with other promotions' }),
  active: Type.Boolean(),
  usage_limit: Type.Union([UsageLimit], { description: 'Orders that may use it in total; null: unlimited' }),
  usage_limit_per_customer: Type.Union([UsageLimit], {
    description: 'Orders per customer (guests: per e-mail address); null: unlimited',
  }),
  metadata: Metadata,
};

export const PromotionCreate = Type.Object(
  {
    name: writable.name,
    code: Type.Optional(writable.code),
    kind: writable.kind,
    value: writable.value,
    target: Type.Optional(writable.target),
    buy_x_get_y: Type.Optional(writable.buy_x_get_y),
    conditions: Type.Optional(writable.conditions),
    priority: Type.Optional(writable.priority),
    combinable: Type.Optional(writable.combinable),
    active: Type.Optional(writable.active),
    usage_limit: Type.Optional(writable.usage_limit),
    usage_limit_per_customer: Type.Optional(writable.usage_limit_per_customer),
    metadata: Type.Optional(writable.metadata),
  },
  {
    additionalProperties: false,
    examples: [
      {
        name: '10% off over €50',
        code: 'SUMMER10',
        kind: 'percentage',
        value: 1000,
        conditions: { min_subtotal: 5000 },
        usage_limit: 500,
        usage_limit_per_customer: 1,
      },
    ],
  },
);

export const PromotionUpdate = Type.Partial(Type.Object(writable), {
  additionalProperties: false,
  minProperties: 1,
});

export const Promotion = Type.Object(
  {
    id: Type.String({ examples: ['promo_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    ...writable,
    conditions: Type.Object({
      min_subtotal: Type.Union([MinorUnits, Type.Null()]),
      customer_group_ids: Type.Array(Type.String()),
      segment_ids: Type.Array(Type.String()),
      channel_ids: Type.Array(Type.String()),
      starts_at: Type.Union([Timestamp, Type.Null()]),
      ends_at: Type.Union([Timestamp, Type.Null()]),
      currency: Type.Union([Currency, Type.Null()]),
    }),
    times_used: Type.Integer({ description: 'Orders that used it so far' }),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Promotion' },
);

export const PromotionListQuery = Type.Object(
  {
    limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    code: Type.Optional(Type.String({ maxLength: 64, description: 'Exact code, case-insensitive' })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export type PromotionCreateBody = Static<typeof PromotionCreate>;
export type PromotionUpdateBody = Static<typeof PromotionUpdate>;
