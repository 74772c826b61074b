import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, IdParam } from '../../http/schemas.js';
import { requireCustomer } from '../customers/session.js';
import { serveCartStream } from './cart-stream.js';
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
    '/carts/:id/stream',
    {
      schema: {
        tags,
        summary: 'Live cart',
        description:
          'First a `cart.snapshot`, then the full current cart (priced for this channel) on every change to it — ' +
          'from any device, channel, API node or admin action — and whenever a price or stock change touches one ' +
          'of its lines. Each message carries `{ event, cart, notices }`; `notices` lists lines whose price ' +
          'changed, that ran out of stock or can no longer be bought. Authorised exactly like `GET /carts/{id}`: ' +
          `an unknown cart or someone else's is 404 before the stream opens. ${SSE_DESCRIPTION}`,
        params: IdParam('cart'),
        querystring: StoreStreamQuery,
        produces: ['text/event-stream'],
        response: {
          200: Type.String({ description: 'Server-Sent Events; `data` is `{ event, cart, notices }`' }),
          ...errorResponses(404),
        },
      },
    },
    async (request, reply) => serveCartStream(request, reply, request.params.id),
  );

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
        filters: [{ customerId: customer.id, types: CUSTOMER_STREAM_TYPES }],
        render: async (event) => ({ id: event.seq, event: event.type, data: presentEvent(event) }),
      });
    },
  );
};
