import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion } from '../../http/concurrency.js';
import { errorResponses, IdParam, IfMatchHeaders, Page } from '../../http/schemas.js';
import { assertDeliverableUrl } from './network.js';
import {
  DeliveryListQuery,
  DeliveryParams,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointCreate,
  WebhookEndpointUpdate,
} from './schema.js';
import {
  createEndpoint,
  deleteEndpoint,
  getDelivery,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  pingEndpoint,
  presentDelivery,
  presentEndpoint,
  replayDelivery,
  updateEndpoint,
} from './service.js';

const EndpointRef = Type.Ref('WebhookEndpoint');
const DeliveryRef = Type.Ref('WebhookDelivery');

export const webhookAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(WebhookEndpoint);
  app.addSchema(WebhookDelivery);
  const tags = ['Webhooks'];
  const read = { scope: 'webhooks:read' };
  const write = { scope: 'webhooks:write' };

  app.post(
    '/webhooks',
    {
      config: write,
      schema: {
        tags,
        summary: 'Create a webhook endpoint',
        description:
          'Subscribes a URL to event types. Deliveries are signed with HMAC-SHA256 (`Merx-Signature: t=…,v1=…`) ' +
          'using the `secret` returned here, once: store it. The URL is refused (422 `webhook_url_refused`) when ' +
          'its host resolves to a loopback, private, link-local or metadata address.',
        body: WebhookEndpointCreate,
        response: { 201: EndpointRef, ...errorResponses(422) },
      },
    },
    async (request, reply) => {
      await assertDeliverableUrl(request.body.url, app.webhookNetwork);
      const { row, secret } = await createEndpoint(app.merx.db, request.body);
      return reply.status(201).send(presentEndpoint(row, secret));
    },
  );

  app.get(
    '/webhooks',
    {
      config: read,
      schema: {
        tags,
        summary: 'List webhook endpoints',
        description: 'Every endpoint with its event types; secrets show only by their last characters.',
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
            cursor: Type.Optional(Type.String({ maxLength: 512 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(EndpointRef), ...errorResponses() },
      },
    },
    async (request) => {
      const page = await listEndpoints(app.merx.db, request.query.limit, request.query.cursor);
      return { ...page, data: page.data.map((row) => presentEndpoint(row)) };
    },
  );

  app.get(
    '/webhooks/:id',
    {
      config: read,
      schema: {
        tags,
        summary: 'Get a webhook endpoint',
        description:
          'The endpoint’s URL, event types and state; the secret shows only by its last characters.',
        params: IdParam('whep'),
        response: { 200: EndpointRef, ...errorResponses(404) },
      },
    },
    async (request) => presentEndpoint(await getEndpoint(app.merx.db, request.params.id)),
  );

  app.patch(
    '/webhooks/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Update a webhook endpoint',
        description:
          'Change the URL (checked like at creation), the event types, or pause it with `enabled: false`.',
        params: IdParam('whep'),
        headers: IfMatchHeaders,
        body: WebhookEndpointUpdate,
        response: { 200: EndpointRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) => {
      if (request.body.url) await assertDeliverableUrl(request.body.url, app.webhookNetwork);
      const row = await updateEndpoint(
        app.merx.db,
        request.params.id,
        request.body,
        expectedVersion(request),
      );
      return presentEndpoint(row);
    },
  );

  app.delete(
    '/webhooks/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a webhook endpoint',
        description: 'Stops deliveries at once and deletes the endpoint’s delivery log.',
        params: IdParam('whep'),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await deleteEndpoint(app.merx.db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/webhooks/:id/ping',
    {
      config: write,
      schema: {
        tags,
        summary: 'Send a test event',
        description:
          'Writes a `webhook.ping` event to the outbox that is delivered to this endpoint only, signed like ' +
          'any other: use it to check your receiver and its signature verification.',
        params: IdParam('whep'),
        response: {
          202: Type.Object({ event_id: Type.String(), event_seq: Type.Integer() }),
          ...errorResponses(404, 409),
        },
      },
    },
    async (request, reply) => {
      const event = await pingEndpoint(app.merx.db, request.params.id);
      return reply.status(202).send({ event_id: event.id, event_seq: event.seq });
    },
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      config: read,
      schema: {
        tags,
        summary: 'Delivery log of an endpoint',
        description: 'Newest first, with the last response code, error and duration; filter by `status`.',
        params: IdParam('whep'),
        querystring: DeliveryListQuery,
        response: { 200: Page(DeliveryRef), ...errorResponses(404) },
      },
    },
    async (request) => {
      const page = await listDeliveries(app.merx.db, request.params.id, request.query);
      return { ...page, data: page.data.map((row) => presentDelivery(row, request.params.id)) };
    },
  );

  app.get(
    '/webhooks/:id/deliveries/:delivery_id',
    {
      config: read,
      schema: {
        tags,
        summary: 'One delivery with every attempt',
        description:
          'The delivery’s state plus its attempt log: response code, duration and error of each try.',
        params: DeliveryParams,
        response: { 200: DeliveryRef, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { delivery, attempts } = await getDelivery(
        app.merx.db,
        request.params.id,
        request.params.delivery_id,
      );
      return presentDelivery(delivery, request.params.id, attempts);
    },
  );

  app.post(
    '/webhooks/:id/deliveries/:delivery_id/replay',
    {
      config: write,
      schema: {
        tags,
        summary: 'Replay a delivery',
        description:
          'Sends the event again (a new round of attempts with the same retry policy), e.g. after a dead-lettered ' +
          'delivery once the receiver is fixed. 409 while the delivery is still pending.',
        params: DeliveryParams,
        response: { 202: DeliveryRef, ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      const row = await replayDelivery(app.merx.db, request.params.id, request.params.delivery_id);
      app.eventRuntime.queue.wake();
      return reply.status(202).send(presentDelivery(row, request.params.id));
    },
  );
};
