import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errorResponses, IdParam, Page } from '../../http/schemas.js';
import { Event, EventListQuery, EventStreamQuery, SSE_DESCRIPTION } from './schema.js';
import { getEvent, listEvents, parseTypeList, presentEvent } from './service.js';
import { serveStream } from './sse.js';

const EventRef = Type.Ref('Event');

export const eventAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Event);
  const tags = ['Events'];

  app.get(
    '/events',
    {
      config: { scope: 'events:read' },
      schema: {
        tags,
        summary: 'List events',
        description:
          'The transactional outbox in `seq` order, oldest first. Store the last `seq` you processed and pass ' +
          'it as `after_seq` to resume: events are listed only up to the safe horizon, so one that commits ' +
          'late is never skipped.',
        querystring: EventListQuery,
        response: { 200: Page(EventRef), ...errorResponses() },
      },
    },
    async (request) => {
      const query = request.query;
      const page = await listEvents(app.merx.db, await app.eventRuntime.bus.horizonNow(), {
        limit: query.limit,
        cursor: query.cursor,
        types: parseTypeList(query.type),
        resourceId: query.resource_id,
        channelId: query.channel_id,
        customerId: query.customer_id,
        afterSeq: query.after_seq,
        createdAfter: query.created_after ? new Date(query.created_after) : undefined,
        createdBefore: query.created_before ? new Date(query.created_before) : undefined,
      });
      return { ...page, data: page.data.map(presentEvent) };
    },
  );

  app.get(
    '/events/stream',
    {
      config: { scope: 'events:read' },
      schema: {
        tags,
        summary: 'Tail events live',
        description: `Every new event (optionally filtered) as it commits, on any node. ${SSE_DESCRIPTION}`,
        querystring: EventStreamQuery,
        produces: ['text/event-stream'],
        response: {
          200: Type.String({ description: 'Server-Sent Events; `data` is an Event' }),
          ...errorResponses(),
        },
      },
    },
    async (request, reply) => {
      const query = request.query;
      const types = parseTypeList(query.type);
      const filter = query.resource_id
        ? { resourceId: query.resource_id, types }
        : query.customer_id
          ? { customerId: query.customer_id, types }
          : { all: true, types };
      await serveStream(request, reply, {
        stream: 'admin',
        filters: [filter],
        render: async (event) =>
          (query.channel_id && event.channel_id !== query.channel_id) ||
          (query.customer_id && event.customer_id !== query.customer_id)
            ? null
            : { id: event.seq, event: event.type, data: presentEvent(event) },
      });
    },
  );

  app.get(
    '/events/:id',
    {
      config: { scope: 'events:read' },
      schema: {
        tags,
        summary: 'Get an event',
        description: 'One outbox event by its `evt_…` id, with the resource state it carried.',
        params: IdParam('evt'),
        response: { 200: EventRef, ...errorResponses(404) },
      },
    },
    async (request) => presentEvent(await getEvent(app.merx.db, request.params.id)),
  );
};
