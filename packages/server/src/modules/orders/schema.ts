import { type Static, Type } from 'typebox';
import { Currency, MinorUnits, PageQuery, Timestamp } from '../../http/schemas.js';
import { ORDER_STATUSES } from './state-machine.js';

export const OrderStatusSchema = Type.Union(
  ORDER_STATUSES.map((status) => Type.Literal(status)),
  {
    description:
      'pending (awaiting payment confirmation) → authorised → paid → partially_fulfilled / fulfilled → delivered; partially_refunded / refunded; cancelled',
  },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const Address = Type.Record(Type.String(), Type.Unknown(), {
  description: 'The address as it was at checkout',
});

const OrderSummaryFields = {
  id: Type.String({ examples: ['ord_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
  number: Type.Integer({ description: 'Human order number, e.g. for the phone', examples: [1042] }),
  status: OrderStatusSchema,
  channel_id: Type.String(),
  customer_id: Nullable(Type.String()),
  email: Nullable(Type.String()),
  currency: Currency,
  subtotal: MinorUnits,
  discount_total: MinorUnits,
  shipping_total: MinorUnits,
  tax_total: MinorUnits,
  total: MinorUnits,
  tax_inclusive: Type.Boolean(),
  authorised_amount: MinorUnits,
  captured_amount: MinorUnits,
  refunded_amount: MinorUnits,
  cancel_reason: Nullable(Type.String()),
  placed_at: Nullable(Timestamp),
  paid_at: Nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp,
  version: Type.Integer(),
};

export const OrderSummary = Type.Object(OrderSummaryFields, { $id: 'OrderSummary' });

const LineQuantities = Type.Array(Type.Object({ line_id: Type.String(), quantity: Type.Integer() }));

export const Payment = Type.Object(
  {
    id: Type.String(),
    provider: Type.String(),
    provider_reference: Nullable(Type.String()),
    status: Type.String({
      description:
        'pending, requires_action, authorised, declined, failed, captured, partially_refunded, refunded or voided',
    }),
    currency: Currency,
    amount: MinorUnits,
    captured_amount: MinorUnits,
    refunded_amount: MinorUnits,
    decline_code: Nullable(Type.String()),
    last_error: Nullable(Type.String()),
    created_at: Timestamp,
  },
  { $id: 'Payment' },
);

export const Order = Type.Object(
  {
    ...OrderSummaryFields,
    cart_id: Type.String(),
    shipping_address: Nullable(Address),
    billing_address: Nullable(Address),
    shipping_method: Nullable(
      Type.Object({ option_id: Type.String(), name: Type.String(), amount: MinorUnits }),
    ),
    promotions: Type.Array(
      Type.Object({ promotion_id: Type.String(), code: Nullable(Type.String()), amount: MinorUnits }),
    ),
    lines: Type.Array(
      Type.Object({
        id: Type.String(),
        variant_id: Type.String(),
        product_id: Type.String(),
        sku: Type.String(),
        product_title: Type.String(),
        variant_title: Type.String(),
        image_url: Nullable(Type.String()),
        unit_price: MinorUnits,
        quantity: Type.Integer(),
        subtotal: MinorUnits,
        discount: MinorUnits,
        tax: MinorUnits,
        tax_rate_bps: Type.Integer(),
        total: MinorUnits,
        fulfilled_quantity: Type.Integer(),
        returned_quantity: Type.Integer(),
      }),
    ),
    payment: Nullable(Type.Ref('Payment')),
    fulfilments: Type.Array(
      Type.Object({
        id: Type.String(),
        lines: LineQuantities,
        carrier: Nullable(Type.String()),
        tracking_number: Nullable(Type.String()),
        tracking_url: Nullable(Type.String()),
        created_at: Timestamp,
      }),
    ),
    returns: Type.Array(
      Type.Object({
        id: Type.String(),
        lines: LineQuantities,
        restocked: Type.Boolean(),
        refund_amount: MinorUnits,
        reason: Nullable(Type.String()),
        created_at: Timestamp,
      }),
    ),
  },
  { $id: 'Order' },
);

export const AdminOrder = Type.Object(
  {
    ...Order.properties,
    audit: Type.Array(
      Type.Object({
        actor: Type.Object({ kind: Type.String(), id: Nullable(Type.String()) }),
        action: Type.String(),
        from_status: Nullable(Type.String()),
        to_status: Type.String(),
        data: Type.Record(Type.String(), Type.Unknown()),
        at: Timestamp,
      }),
      { description: 'Who did what, oldest first' },
    ),
  },
  { $id: 'AdminOrder' },
);

export const OrderListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(OrderStatusSchema),
    customer_id: Type.Optional(Type.String({ maxLength: 64 })),
    channel_id: Type.Optional(Type.String({ maxLength: 64 })),
    created_after: Type.Optional(Timestamp),
    created_before: Type.Optional(Timestamp),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Order number, order id or part of the e-mail',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CustomerOrderListQuery = Type.Object(PageQuery, { additionalProperties: false });

const LineQuantityInput = Type.Array(
  Type.Object(
    {
      line_id: Type.String({ minLength: 1, maxLength: 80 }),
      quantity: Type.Integer({ minimum: 1, maximum: 100_000 }),
    },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 100 },
);

export const CaptureBody = Type.Object(
  {
    amount: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Less than authorised releases the rest; default: all of it' }),
    ),
  },
  { additionalProperties: false },
);

export const RefundBody = Type.Object(
  {
    amount: Type.Integer({ minimum: 1, description: 'At most captured − already refunded' }),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const CancelBody = Type.Object(
  { reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);

export const FulfilBody = Type.Object(
  {
    lines: LineQuantityInput,
    carrier: Type.Optional(Type.String({ minLength: 1, maxLength: 100, examples: ['DHL'] })),
    tracking_number: Type.Optional(
      Type.String({ minLength: 1, maxLength: 100, examples: ['JD014600003828'] }),
    ),
    tracking_url: Type.Optional(Type.String({ format: 'uri', maxLength: 2000 })),
  },
  { additionalProperties: false },
);

export const ReturnBody = Type.Object(
  {
    lines: LineQuantityInput,
    restock: Type.Optional(Type.Boolean({ default: true, description: 'false for damaged goods' })),
    refund_amount: Type.Optional(Type.Integer({ minimum: 1, description: 'Refunded in the same step' })),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export type OrderListQueryType = Static<typeof OrderListQuery>;
