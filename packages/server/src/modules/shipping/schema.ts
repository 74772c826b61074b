import { Type } from 'typebox';
import { Currency, MinorUnits, Timestamp } from '../../http/schemas.js';

const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2', examples: ['DE'] });
const RateBps = Type.Integer({
  minimum: 0,
  maximum: 10_000,
  description: 'Basis points: 1900 = 19 %',
  examples: [1900],
});

const TaxOverride = Type.Object(
  {
    country: Country,
    province: Type.Union([Type.String({ minLength: 1, maxLength: 10 }), Type.Null()], {
      description: 'Province/state code (as in the address `region`); null for the whole country',
    }),
    tax_rate_bps: RateBps,
  },
  { additionalProperties: false },
);

export const Region = Type.Object(
  {
    id: Type.String({ examples: ['reg_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    name: Type.String(),
    currency: Currency,
    countries: Type.Array(Country),
    tax_rate_bps: RateBps,
    tax_overrides: Type.Array(TaxOverride),
    tax_inclusive: Type.Boolean({ description: 'Prices in this region already include tax' }),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Region' },
);

export const RegionCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['European Union'] }),
    currency: Currency,
    countries: Type.Array(Country, { minItems: 1, maxItems: 250, uniqueItems: true }),
    tax_rate_bps: RateBps,
    tax_overrides: Type.Optional(Type.Array(TaxOverride, { maxItems: 500 })),
    tax_inclusive: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

export const RegionUpdate = Type.Partial(RegionCreate, { additionalProperties: false, minProperties: 1 });

const WeightBracket = Type.Object(
  {
    up_to_grams: Type.Union([Type.Integer({ minimum: 0, maximum: 100_000_000 }), Type.Null()], {
      description: 'Inclusive upper bound; null = any heavier weight',
    }),
    amount: MinorUnits,
  },
  { additionalProperties: false },
);
const WeightBrackets = Type.Array(WeightBracket, { minItems: 1, maxItems: 50 });
const OptionName = Type.String({ minLength: 1, maxLength: 200, examples: ['Standard (2-4 days)'] });
const RegionId = Type.String({ minLength: 3, maxLength: 64 });

export const ShippingOption = Type.Object(
  {
    id: Type.String({ examples: ['ship_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    region_id: Type.String(),
    name: Type.String(),
    kind: Type.Union([Type.Literal('flat'), Type.Literal('free_over'), Type.Literal('weight')]),
    amount: Type.Union([MinorUnits, Type.Null()]),
    threshold: Type.Union([MinorUnits, Type.Null()]),
    weight_brackets: Type.Union([WeightBrackets, Type.Null()]),
    active: Type.Boolean(),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'ShippingOption' },
);

export const ShippingOptionCreate = Type.Union([
  Type.Object(
    {
      region_id: RegionId,
      name: OptionName,
      kind: Type.Literal('flat'),
      amount: MinorUnits,
      active: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false, description: 'One price whatever the cart' },
  ),
  Type.Object(
    {
      region_id: RegionId,
      name: OptionName,
      kind: Type.Literal('free_over'),
      amount: MinorUnits,
      threshold: MinorUnits,
      active: Type.Optional(Type.Boolean()),
    },
    {
      additionalProperties: false,
      description: '`amount`, or free once merchandise after discounts reaches `threshold`',
    },
  ),
  Type.Object(
    {
      region_id: RegionId,
      name: OptionName,
      kind: Type.Literal('weight'),
      weight_brackets: WeightBrackets,
      active: Type.Optional(Type.Boolean()),
    },
    { additionalProperties: false, description: 'Priced by the first bracket the cart’s weight fits in' },
  ),
]);

export const ShippingOptionUpdate = Type.Object(
  {
    name: Type.Optional(OptionName),
    active: Type.Optional(Type.Boolean()),
    amount: Type.Optional(MinorUnits),
    threshold: Type.Optional(MinorUnits),
    weight_brackets: Type.Optional(WeightBrackets),
  },
  { additionalProperties: false, minProperties: 1 },
);
