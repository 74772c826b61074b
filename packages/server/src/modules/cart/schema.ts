import { Type } from 'typebox';
import { Currency, MinorUnits, Timestamp } from '../../http/schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });

export const Address = Type.Object(
  {
    first_name: Type.Optional(Nullable(Text(100))),
    last_name: Type.Optional(Nullable(Text(100))),
    company: Type.Optional(Nullable(Text(200))),
    line1: Text(200),
    line2: Type.Optional(Nullable(Text(200))),
    city: Text(100),
    postal_code: Type.Optional(Nullable(Text(20))),
    region: Type.Optional(
      Nullable(
        Type.String({
          minLength: 1,
          maxLength: 10,
          description: 'Province/state code; selects a province tax rate',
        }),
      ),
    ),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2', examples: ['DE'] }),
    phone: Type.Optional(Nullable(Text(40))),
  },
  { additionalProperties: false },
);

const VariantId = Type.String({ minLength: 3, maxLength: 64, examples: ['var_01jd8x2k3m4n5p6q7r8s9t0v1w'] });
export const Quantity = Type.Integer({
  minimum: 1,
  maximum: 999,
  description: 'Units of the variant: a whole number from 1 to 999',
  examples: [2],
});

export const LineCreate = Type.Object(
  { variant_id: VariantId, quantity: Quantity },
  {
    additionalProperties: false,
    description: 'Prices come from the server; a `unit_price` or any other extra field is refused (400).',
  },
);

export const LineUpdate = Type.Object({ quantity: Quantity }, { additionalProperties: false });

export const CartCreate = Type.Object(
  {
    currency: Type.Optional({
      ...Currency,
      description: 'One of the channel’s currencies; default its default currency',
    }),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 254 })),
    lines: Type.Optional(Type.Array(LineCreate, { maxItems: 100, description: 'At most 100 lines' })),
  },
  { additionalProperties: false },
);

export const CartUpdate = Type.Object(
  {
    email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
    shipping_address: Type.Optional(Nullable(Address)),
    billing_address: Type.Optional(Nullable(Address)),
    shipping_option_id: Type.Optional(
      Nullable(
        Type.String({ minLength: 3, maxLength: 64, description: 'One of GET /carts/{id}/shipping-options' }),
      ),
    ),
    promotion_codes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), {
        maxItems: 10,
        description: 'Replaces the entered codes; codes that do not apply are listed in `rejected_codes`',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

const CartLine = Type.Object({
  id: Type.String({ examples: ['cali_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
  variant_id: Type.String(),
  product_id: Nullable(Type.String()),
  product_handle: Nullable(Type.String()),
  product_title: Nullable(Type.String()),
  variant_title: Nullable(Type.String()),
  sku: Nullable(Type.String()),
  option_values: Type.Record(Type.String(), Type.String()),
  image_url: Nullable(Type.String()),
  quantity: Type.Integer(),
  unit_price: Nullable(Type.Integer({ description: 'Current price for this channel, currency and shopper' })),
  previous_unit_price: Nullable(
    Type.Integer({ description: 'The price the shopper last saw, when it changed since (null otherwise)' }),
  ),
  sellable: Type.Boolean({
    description:
      'False when the channel stopped selling the variant: the line is left out of totals and checkout',
  }),
  subtotal: Type.Integer(),
  discount: Type.Integer(),
  tax: Type.Integer(),
  total: Type.Integer(),
  stock: Nullable(
    Type.Object({
      tracked: Type.Boolean(),
      available: Nullable(Type.Integer()),
      in_stock: Type.Boolean(),
    }),
  ),
});

export const Cart = Type.Object(
  {
    id: Type.String({ examples: ['cart_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    status: Type.Union([Type.Literal('active'), Type.Literal('completed'), Type.Literal('merged')]),
    channel_id: Type.String({ description: 'The channel the cart was last changed through' }),
    previous_channel_id: Nullable(
      Type.String({ description: 'The channel before the owner moved the cart' }),
    ),
    repriced_for_channel: Nullable(
      Type.String({
        description:
          'Set when prices in this response were re-selected for the calling channel because the cart came from another channel',
      }),
    ),
    customer_id: Nullable(Type.String()),
    currency: Currency,
    email: Nullable(Type.String()),
    shipping_address: Nullable(Address),
    billing_address: Nullable(Address),
    shipping_option_id: Nullable(Type.String()),
    promotion_codes: Type.Array(Type.String()),
    lines: Type.Array(CartLine),
    totals: Type.Object({
      subtotal: MinorUnits,
      discount_total: MinorUnits,
      shipping_total: MinorUnits,
      tax_total: MinorUnits,
      total: MinorUnits,
    }),
    tax: Nullable(
      Type.Object(
        { region_id: Type.String(), rate_bps: Type.Integer(), inclusive: Type.Boolean() },
        { description: 'Tax rule of the shipping address; null until an address in a region is set' },
      ),
    ),
    shipping: Nullable(
      Type.Object({ option_id: Type.String(), name: Type.String(), amount: MinorUnits, tax: MinorUnits }),
    ),
    shipping_options_available: Type.Integer({ description: 'How many shipping options serve the cart now' }),
    applied_promotions: Type.Array(
      Type.Object({ promotion_id: Type.String(), code: Nullable(Type.String()), amount: MinorUnits }),
    ),
    rejected_codes: Type.Array(Type.Object({ code: Type.String(), reason: Type.String() })),
    reservation_expires_at: Nullable(
      Type.String({
        format: 'date-time',
        description: 'When the stock held for this cart is released if the cart sees no activity',
      }),
    ),
    order_id: Nullable(Type.String()),
    merged_into: Nullable(Type.String()),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
    completed_at: Nullable(Timestamp),
  },
  { $id: 'Cart' },
);

export const ShippingQuote = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('flat'), Type.Literal('free_over'), Type.Literal('weight')]),
  amount: MinorUnits,
  currency: Currency,
  selected: Type.Boolean(),
});

export const MergeSettings = Type.Object({
  channel_id: Type.String(),
  merge_policy: Type.Union([
    Type.Literal('keep_guest'),
    Type.Literal('keep_customer'),
    Type.Literal('merge_lines'),
  ]),
  version: Type.Integer({ description: '0 while the channel runs on the default (`merge_lines`)' }),
});

export const MergeSettingsUpdate = Type.Object(
  { merge_policy: MergeSettings.properties.merge_policy },
  { additionalProperties: false },
);
