import { Type } from 'typebox';
import { Currency, Timestamp } from '../../http/schemas.js';
import { COMPARISONS, RULE_FIELDS } from './rules.js';

const literals = <T extends string>(values: readonly T[], description?: string) =>
  Type.Union(
    values.map((value) => Type.Literal(value)),
    description ? { description } : {},
  );
const Match = literals(['all', 'any'] as const, '`all`: every condition holds; `any`: at least one');

const leafProperties = {
  field: literals(
    RULE_FIELDS,
    'country (default shipping, else billing address) · customer_group · channel (bought through or signed in on) · lifetime_spend (placed orders minus refunds, one currency) · order_count · days_since_last_order · viewed_category / bought_category (the category or below, within `within_days`)',
  ),
  op: Type.Optional(literals(COMPARISONS, 'For numbers: at least (gte), at most (lte), exactly (eq)')),
  values: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
      minItems: 1,
      maxItems: 50,
      uniqueItems: true,
      description: 'country codes, customer group IDs or channel IDs (any of them matches)',
    }),
  ),
  value: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 1_000_000_000_000,
      description: 'The number compared: minor units for lifetime_spend, orders, or days',
    }),
  ),
  currency: Type.Optional(Currency),
  category_id: Type.Optional(Type.String({ minLength: 3, maxLength: 64 })),
  within_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
};

const RuleLeaf = Type.Object(leafProperties, { additionalProperties: false });

const RuleNode = Type.Object(
  {
    ...leafProperties,
    field: Type.Optional(leafProperties.field),
    match: Type.Optional(Match),
    conditions: Type.Optional(Type.Array(RuleLeaf, { minItems: 1, maxItems: 20 })),
  },
  {
    additionalProperties: false,
    description: 'A condition, or a group (`match` + `conditions`) of conditions',
  },
);

export const SegmentRulesSchema = Type.Object(
  {
    match: Match,
    conditions: Type.Array(RuleNode, { minItems: 1, maxItems: 20 }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        match: 'all',
        conditions: [
          { field: 'country', values: ['GB', 'IE'] },
          { field: 'lifetime_spend', op: 'gte', value: 50000, currency: 'GBP' },
          {
            match: 'any',
            conditions: [
              { field: 'days_since_last_order', op: 'lte', value: 30 },
              { field: 'viewed_category', category_id: 'cat_01jd8x2k3m4n5p6q7r8s9t0v1w', within_days: 14 },
            ],
          },
        ],
      },
    ],
  },
);

export const Segment = Type.Object(
  {
    id: Type.String({ examples: ['seg_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    name: Type.String(),
    description: Type.String(),
    rules: SegmentRulesSchema,
    stale_after_minutes: Type.Integer(),
    computed_at: Type.Union([Timestamp, Type.Null()], {
      description: 'When the cached membership was computed',
    }),
    member_count: Type.Union([Type.Integer(), Type.Null()], { description: 'At `computed_at`' }),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Segment' },
);

export const SegmentCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['UK regulars'] }),
    description: Type.Optional(Type.String({ maxLength: 2000 })),
    rules: SegmentRulesSchema,
    stale_after_minutes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 10080,
        description: 'Cached membership older than this is recomputed when next read (default 60)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const SegmentUpdate = Type.Partial(SegmentCreate, { additionalProperties: false, minProperties: 1 });

export const SegmentMember = Type.Object({
  id: Type.String(),
  email: Type.String(),
  first_name: Type.Union([Type.String(), Type.Null()]),
  last_name: Type.Union([Type.String(), Type.Null()]),
});

export const SegmentRefresh = Type.Object({ member_count: Type.Integer(), computed_at: Timestamp });
