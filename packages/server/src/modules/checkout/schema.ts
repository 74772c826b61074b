import { Type } from 'typebox';

export const CheckoutBody = Type.Object(
  {
    payment: Type.Object(
      {
        provider: Type.String({ minLength: 1, maxLength: 40, examples: ['test'] }),
        token: Type.String({
          minLength: 1,
          maxLength: 500,
          description:
            'The payment method the head collected. With the `test` provider: tok_visa, tok_mastercard (succeed), tok_declined, tok_insufficient_funds (decline), tok_3ds (awaits a signed webhook), tok_fail_capture, tok_fail_refund, tok_fail_void (force failures), tok_timeout (the authorisation never answers), tok_timeout_capture (the first capture’s answer never arrives).',
          examples: ['tok_visa'],
        }),
      },
      { additionalProperties: false },
    ),
    email: Type.Optional(
      Type.String({
        format: 'email',
        maxLength: 320,
        description: 'Overrides the cart’s e-mail for this order',
      }),
    ),
    expected_total: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: Number.MAX_SAFE_INTEGER,
        description:
          'The total (minor units) the shopper was shown. When the server’s total differs (a price, promotion or shipping change since), checkout refuses with 409 `total_changed` before holding stock or charging, so nobody pays an amount they did not see. It never sets the total.',
        examples: [4990],
      }),
    ),
  },
  { additionalProperties: false, examples: [{ payment: { provider: 'test', token: 'tok_visa' } }] },
);

export const CheckoutResponse = Type.Object({
  order: Type.Ref('Order'),
  order_token: Type.Union([Type.String(), Type.Null()], {
    description: 'Lets a guest read this order (`X-Order-Token`); shown once. Null when resuming a checkout.',
  }),
  next_action: Type.Union([Type.Object({ type: Type.String(), description: Type.String() }), Type.Null()], {
    description: 'Set when the payment awaits the shopper’s confirmation (the order stays `pending`)',
  }),
});

export const CheckoutSettings = Type.Object(
  {
    channel_id: Type.String(),
    capture_mode: Type.Union([Type.Literal('automatic'), Type.Literal('manual')], {
      description:
        'automatic: orders become `paid` at checkout; manual: they stay `authorised` until captured',
    }),
    version: Type.Integer({ description: '0 until first written' }),
  },
  { $id: 'CheckoutSettings' },
);

export const CheckoutSettingsUpdate = Type.Object(
  { capture_mode: Type.Union([Type.Literal('automatic'), Type.Literal('manual')]) },
  { additionalProperties: false },
);

export const WebhookResult = Type.Object({
  received: Type.Literal(true),
  result: Type.Union([
    Type.Literal('order_placed'),
    Type.Literal('order_cancelled'),
    Type.Literal('already_processed'),
  ]),
  order_id: Type.Union([Type.String(), Type.Null()]),
});
