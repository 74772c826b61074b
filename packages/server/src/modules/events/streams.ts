import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses } from '../../http/schemas.js';
import { requireCustomer } from '../customers/session.js';
import { SSE_DESCRIPTION, StoreStreamQuery } from './schema.js';
import { presentEvent } from './service.js';
import { serveStream } from './sse.js';

const CUSTOMER_STREAM_TYPES = [
  'cart.created',
  'cart.updated',
  'cart.completed',
  'order.placed',
  'order.paid',
  'order.fulfilled',
  'order.cancelled',
  'order.refunded',
];

export const eventStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['Live'];

  app.get(
    '/customers/me/stream',
    {
      schema: {
        tags,
        summary: 'Live events of the signed-in customer',
        description:
          'The signed-in customer’s cart and order events (`cart.*`, `order.*`) as they commit, from any ' +
          `device, channel or node. Sign in with \`X-Customer-Token\` or \`?customer_token=\`. ${SSE_DESCRIPTION}`,
        querystring: StoreStreamQuery,
        produces: ['text/event-stream'],
        response: {
          200: Type.String({ description: 'Server-Sent Events; `data` is an Event' }),
          ...errorResponses(),
        },
      },
    },
    async (request, reply) => {
      const customer = requireCustomer(request);
      await serveStream(request, reply, {
        stream: 'customer',
        filter: { customerId: customer.id, types: CUSTOMER_STREAM_TYPES },
        render: async (event) => ({ id: event.seq, event: event.type, data: presentEvent(event) }),
      });
    },
  );
};
