import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { errorResponses, IdParam, Page } from '../../http/schemas.js';
import { cancelOrder, captureOrder, deliverOrder, fulfilOrder, refundOrder, returnOrder } from './actions.js';
import type { Actor } from './lifecycle.js';
import {
  AdminOrder,
  CancelBody,
  CaptureBody,
  FulfilBody,
  Order,
  OrderListQuery,
  OrderSummary,
  Payment,
  RefundBody,
  ReturnBody,
} from './schema.js';
import {
  getOrderRow,
  listOrders,
  loadOrderDetail,
  orderAudit,
  presentAudit,
  presentOrder,
  presentOrderSummary,
} from './service.js';
import type { OrderRow } from './tables.js';

const actorOf = (request: FastifyRequest): Actor => ({ kind: request.admin.kind, id: request.admin.id });

// Capture and cancel have only optional fields: a POST without any body means "{}".
const bodyOptional = async (request: FastifyRequest) => {
  request.body ??= {};
};

export const orderAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Payment);
  app.addSchema(OrderSummary);
  app.addSchema(Order);
  app.addSchema(AdminOrder);
  const tags = ['Orders'];
  const db = app.merx.db;
  const adminView = async (order: OrderRow) => ({
    ...presentOrder(await loadOrderDetail(db, order)),
    audit: (await orderAudit(db, order.id)).map(presentAudit),
  });
  const params = IdParam('ord');
  const write = { scope: 'orders:write' };
  const actionResponses = { 200: Type.Ref('AdminOrder'), ...errorResponses(404, 409, 422, 502) };

  app.get(
    '/orders',
    {
      config: { scope: 'orders:read' },
      schema: {
        tags,
        summary: 'List orders',
        description:
          'Newest first. Filter by status, customer, channel and creation date range; `q` finds an order by number (`1042` or `#1042`), id or part of the e-mail address.',
        querystring: OrderListQuery,
        response: { 200: Page(Type.Ref('OrderSummary')), ...errorResponses() },
      },
    },
    async (request) => {
      const page = await listOrders(db, request.query);
      return { ...page, data: page.data.map(presentOrderSummary) };
    },
  );

  app.get(
    '/orders/:id',
    {
      config: { scope: 'orders:read' },
      schema: {
        tags,
        summary: 'Get an order',
        description: 'The order with its lines, payment, fulfilments, returns and audit trail.',
        params,
        response: { 200: Type.Ref('AdminOrder'), ...errorResponses(404) },
      },
    },
    async (request) => adminView(await getOrderRow(db, request.params.id)),
  );

  app.post(
    '/orders/:id/capture',
    {
      config: write,
      preValidation: bodyOptional,
      schema: {
        tags,
        summary: 'Capture the payment',
        description:
          'For channels that capture manually (or when automatic capture failed). One capture per order: a smaller `amount` releases the rest of the authorisation. Emits `order.paid`. 502 `payment_provider_error` when the provider refuses (kept in the payment operation log; the order is unchanged), 502 `payment_outcome_unknown` when the call fails without an answer and 502 `payment_provider_timeout` when no answer comes within `MERX_PAYMENT_TIMEOUT_MS` (either way the operation stays pending and is retried with the same idempotency key later), 409 `payment_operation_in_progress` while another payment operation of the order is waiting for the provider.',
        params,
        body: CaptureBody,
        response: actionResponses,
      },
    },
    async (request) => adminView(await captureOrder(db, request.params.id, request.body, actorOf(request))),
  );

  app.post(
    '/orders/:id/refund',
    {
      config: write,
      schema: {
        tags,
        summary: 'Refund part or all of the payment',
        description:
          'Refunds never exceed what was captured minus what was refunded already (422 `invalid_amount`). One payment operation at a time per order: a refund sent while another is waiting for the provider answers 409 `payment_operation_in_progress` (retry it), so two refunds never both pass that check. Emits `order.refunded`; 502 as for capture.',
        params,
        body: RefundBody,
        response: actionResponses,
      },
    },
    async (request) => adminView(await refundOrder(db, request.params.id, request.body, actorOf(request))),
  );

  app.post(
    '/orders/:id/cancel',
    {
      config: write,
      preValidation: bodyOptional,
      schema: {
        tags,
        summary: 'Cancel an order',
        description:
          'Only before anything shipped. Voids an uncaptured payment or refunds what was captured, and puts the stock back (or releases the holds of an order still awaiting payment). Emits `order.cancelled`. When the provider refuses the void or refund, nothing changes (502); 409 `payment_operation_in_progress` as for refunds.',
        params,
        body: CancelBody,
        response: actionResponses,
      },
    },
    async (request) => adminView(await cancelOrder(db, request.params.id, request.body, actorOf(request))),
  );

  app.post(
    '/orders/:id/fulfilments',
    {
      config: write,
      schema: {
        tags,
        summary: 'Ship some or all lines',
        description:
          'Records a shipment of the given quantities per line with its tracking number. Partial shipments make the order `partially_fulfilled`; when every unit shipped it is `fulfilled`. Only paid orders ship. Emits `order.fulfilled`.',
        params,
        body: FulfilBody,
        response: { ...actionResponses, 200: Type.Ref('AdminOrder') },
      },
    },
    async (request) => adminView(await fulfilOrder(db, request.params.id, request.body, actorOf(request))),
  );

  app.post(
    '/orders/:id/deliver',
    {
      config: write,
      schema: {
        tags,
        summary: 'Mark a fulfilled order delivered',
        description:
          'Legal only once every line is fulfilled; emits no payment action. Recorded in the audit trail.',
        params,
        response: actionResponses,
      },
    },
    async (request) => adminView(await deliverOrder(db, request.params.id, actorOf(request))),
  );

  app.post(
    '/orders/:id/returns',
    {
      config: write,
      schema: {
        tags,
        summary: 'Record returned units',
        description:
          'Units must have shipped and not been returned already. They go back on the shelf (from the location they shipped from) unless `restock` is false; `refund_amount` refunds in the same step, all or nothing.',
        params,
        body: ReturnBody,
        response: actionResponses,
      },
    },
    async (request) => adminView(await returnOrder(db, request.params.id, request.body, actorOf(request))),
  );
};
