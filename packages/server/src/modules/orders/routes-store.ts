import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, IdParam, Page } from '../../http/schemas.js';
import { requireCustomer } from '../customers/session.js';
import { CustomerOrderListQuery, Order, OrderSummary, Payment } from './schema.js';
import {
  getOrderForShopper,
  listCustomerOrders,
  loadOrderDetail,
  presentOrder,
  presentOrderSummary,
} from './service.js';

export const ORDER_TOKEN_HEADER = 'x-order-token';

export const orderStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Payment);
  app.addSchema(OrderSummary);
  app.addSchema(Order);
  const tags = ['Orders'];
  const db = app.merx.db;

  app.get(
    '/orders/:id',
    {
      schema: {
        tags,
        summary: 'Get one of your orders',
        description: `A signed-in customer reads their own orders (\`X-Customer-Token\`). A guest reads the order with the \`order_token\` checkout returned, in the \`${ORDER_TOKEN_HEADER}\` header. Anyone else gets 404, exactly as for an unknown id.`,
        params: IdParam('ord'),
        headers: Type.Object({
          [ORDER_TOKEN_HEADER]: Type.Optional(
            Type.String({ maxLength: 200, description: 'Guest order access token' }),
          ),
        }),
        response: { 200: Type.Ref('Order'), ...errorResponses(404) },
      },
    },
    async (request) => {
      const order = await getOrderForShopper(db, request.params.id, {
        channelId: request.channel.id,
        customerId: request.customer?.id ?? null,
        orderToken: request.headers[ORDER_TOKEN_HEADER] ?? null,
      });
      return presentOrder(await loadOrderDetail(db, order));
    },
  );

  app.get(
    '/customers/me/orders',
    {
      schema: {
        tags,
        summary: 'List your orders',
        description: 'The signed-in customer’s orders from every channel, newest first (cursor pagination).',
        querystring: CustomerOrderListQuery,
        response: { 200: Page(Type.Ref('OrderSummary')), ...errorResponses(401) },
      },
    },
    async (request) => {
      const customer = requireCustomer(request);
      const page = await listCustomerOrders(db, customer.id, request.query);
      return { ...page, data: page.data.map(presentOrderSummary) };
    },
  );
};
