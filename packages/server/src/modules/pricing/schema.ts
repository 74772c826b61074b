import { Type } from 'typebox';
import { Currency, MinorUnits, Timestamp } from '../../http/schemas.js';

const ScopeId = (description: string) =>
  Type.Union([Type.String({ minLength: 1, maxLength: 64 }), Type.Null()], { description });

const priceFields = {
  currency: Currency,
  amount: MinorUnits,
  channel_id: Type.Optional(ScopeId('Only in this channel; null for every channel')),
  customer_group_id: Type.Optional(ScopeId('Only for customers in this group')),
  segment_id: Type.Optional(ScopeId('Only for shoppers in this segment')),
  min_quantity: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 1_000_000,
      description: 'Quantity tier: applies from this many units',
    }),
  ),
  starts_at: Type.Optional(Type.Union([Timestamp, Type.Null()], { description: 'Valid from (inclusive)' })),
  ends_at: Type.Optional(Type.Union([Timestamp, Type.Null()], { description: 'Valid until (exclusive)' })),
};

export const PriceCreate = Type.Object(priceFields, {
  additionalProperties: false,
  examples: [{ currency: 'EUR', amount: 1999 }],
});

export const PriceUpdate = Type.Partial(Type.Object(priceFields), {
  additionalProperties: false,
  minProperties: 1,
});

export const Price = Type.Object(
  {
    id: Type.String(),
    variant_id: Type.String(),
    currency: Type.String(),
    amount: Type.Integer(),
    channel_id: Type.Union([Type.String(), Type.Null()]),
    customer_group_id: Type.Union([Type.String(), Type.Null()]),
    segment_id: Type.Union([Type.String(), Type.Null()]),
    min_quantity: Type.Integer(),
    starts_at: Type.Union([Timestamp, Type.Null()]),
    ends_at: Type.Union([Timestamp, Type.Null()]),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Price' },
);
