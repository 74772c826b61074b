import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion } from '../../http/concurrency.js';
import { errorResponses, IdempotencyHeaders, IdParam, IfMatchHeaders } from '../../http/schemas.js';
import { cartAccessOf } from '../cart/access.js';
import { Order, OrderSummary, Payment } from '../orders/schema.js';
import { presentOrder } from '../orders/service.js';
import { TEST_WEBHOOK_SIGNATURE_HEADER } from '../payments/test-provider.js';
import {
  CheckoutBody,
  CheckoutResponse,
  CheckoutSettings,
  CheckoutSettingsUpdate,
  WebhookResult,
} from './schema.js';
import { checkout } from './service.js';
import { getCheckoutSettings, presentCheckoutSettings, setCheckoutSettings } from './settings.js';
import { handlePaymentWebhook } from './webhook.js';

export const checkoutStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Payment);
  app.addSchema(OrderSummary);
  app.addSchema(Order);
  const db = app.merx.db;

  app.post(
    '/carts/:id/checkout',
    {
      schema: {
        tags: ['Checkout'],
        summary: 'Check out a cart',
        description: [
          'Prices the cart again from server data (nothing in the body can change a price or total), holds the stock, counts promotion uses, authorises the payment and writes the order: all of it or none of it.',
          '',
          '* **201** the order is placed (`authorised`, or `paid` when the channel captures automatically). `order_token` lets a guest read it later.',
          '* **202** the payment awaits the shopper’s confirmation (`next_action`); the order stays `pending` until the provider’s webhook settles it.',
          '* **402** `payment_declined`: nothing is kept (no order, stock and promotion uses released).',
          '* **409** `out_of_stock` (with `variants`), `promotion_limit_reached` (remove the code and retry), `cart_already_checked_out` (with `order_id`), `checkout_in_progress`, `total_changed` (with `expected_total`, `total` and `currency`: the cart’s total is not the `expected_total` the head sent; show the new total and ask again).',
          '* **502** `payment_provider_timeout` (the provider gave no answer within `MERX_PAYMENT_TIMEOUT_MS`) or `payment_provider_error` (the call failed): the outcome is unknown, so nothing is kept (no order, stock and promotion uses released, the payment attempt recorded as `failed`); check out again (a 5xx is not replayed for its `Idempotency-Key`).',
          '',
          'Send an `Idempotency-Key`: a retry, even concurrent, replays the first response. Without one, a cart still yields at most one order (and one charge).',
        ].join('\n'),
        params: IdParam('cart'),
        headers: IdempotencyHeaders,
        body: CheckoutBody,
        response: {
          201: CheckoutResponse,
          202: CheckoutResponse,
          ...errorResponses(402, 404, 409, 422, 502),
        },
      },
    },
    async (request, reply) => {
      const result = await checkout(
        db,
        {
          cartId: request.params.id,
          access: cartAccessOf(request),
          customerEmail: request.customer?.email ?? null,
          email: request.body.email,
          expectedTotal: request.body.expected_total,
          payment: request.body.payment,
        },
        request.customer ? { kind: 'customer', id: request.customer.id } : { kind: 'guest', id: null },
      );
      const order = presentOrder(result.detail);
      if (result.kind === 'placed') {
        return reply.status(201).send({ order, order_token: result.orderToken, next_action: null });
      }
      return reply
        .status(202)
        .send({ order, order_token: result.orderToken, next_action: result.nextAction });
    },
  );
};

export const checkoutAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(CheckoutSettings);
  const tags = ['Checkout'];
  const db = app.merx.db;

  app.get(
    '/channels/:id/checkout-settings',
    {
      config: { scope: 'channels:read' },
      schema: {
        tags,
        summary: 'Get a channel’s checkout settings',
        description:
          'Whether the channel captures payments at checkout (`automatic`) or leaves capture to an admin (`manual`).',
        params: IdParam('chan'),
        response: { 200: Type.Ref('CheckoutSettings'), ...errorResponses(404) },
      },
    },
    async (request) => {
      const settings = await getCheckoutSettings(db, request.params.id);
      return presentCheckoutSettings(settings);
    },
  );

  app.put(
    '/channels/:id/checkout-settings',
    {
      config: { scope: 'channels:write' },
      schema: {
        tags,
        summary: 'Set a channel’s checkout settings',
        description:
          'Whether orders are captured at checkout (`automatic`, the default) or later by an admin (`manual`).',
        params: IdParam('chan'),
        headers: IfMatchHeaders,
        body: CheckoutSettingsUpdate,
        response: { 200: Type.Ref('CheckoutSettings'), ...errorResponses(404, 409) },
      },
    },
    async (request) =>
      presentCheckoutSettings(
        await setCheckoutSettings(db, request.params.id, request.body, expectedVersion(request)),
      ),
  );
};

/** Provider webhooks: unauthenticated by key, authenticated by their signature. */
export const checkoutPublicRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // The signature covers the exact bytes sent, so the body is kept as a string here.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  const db = app.merx.db;

  app.post(
    '/payments/test/webhook',
    {
      schema: {
        tags: ['Checkout'],
        summary: 'Test provider webhook',
        description: `Settles a \`tok_3ds\` payment. Body \`{"type":"payment.authorised"|"payment.failed","reference":"tpay_…"}\`; header \`${TEST_WEBHOOK_SIGNATURE_HEADER}: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with MERX_TEST_PAYMENTS_WEBHOOK_SECRET>\`. Refused (400 \`invalid_webhook\`) when the signature does not match or the timestamp is more than 5 minutes off. Repeated deliveries are harmless.`,
        response: { 200: WebhookResult, ...errorResponses(404) },
      },
    },
    async (request) =>
      handlePaymentWebhook(db, 'test', { headers: request.headers, rawBody: String(request.body ?? '') }),
  );
};
