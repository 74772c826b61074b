import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion } from '../../http/concurrency.js';
import { errorResponses, IdParam, IfMatchHeaders } from '../../http/schemas.js';
import { createApiKey, listApiKeys, presentApiKey, revokeApiKey } from './keys.js';
import { ApiKey, ApiKeyCreate, Channel, ChannelCreate, ChannelUpdate } from './schema.js';
import {
  createChannel,
  deleteChannel,
  getChannel,
  listChannels,
  presentChannel,
  updateChannel,
} from './service.js';

const ChannelRef = Type.Ref('Channel');
const ApiKeyRef = Type.Ref('ApiKey');

export const channelAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Channel);
  app.addSchema(ApiKey);
  const tags = ['Channels'];

  app.get(
    '/channels',
    {
      config: { scope: 'channels:read' },
      schema: {
        tags,
        summary: 'List channels',
        description: 'Every sales channel (web, mobile, voice, …) with its currencies and head profile.',
        response: { 200: Type.Object({ data: Type.Array(ChannelRef) }), ...errorResponses() },
      },
    },
    async () => ({ data: (await listChannels(app.merx.db)).map(presentChannel) }),
  );

  app.post(
    '/channels',
    {
      config: { scope: 'channels:write' },
      schema: {
        tags,
        summary: 'Create a channel',
        description: 'A channel is one head’s view of the shop: its assortment, currencies, locale and keys.',
        body: ChannelCreate,
        response: { 201: ChannelRef, ...errorResponses(422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentChannel(await createChannel(app.merx.db, request.body))),
  );

  app.get(
    '/channels/:id',
    {
      config: { scope: 'channels:read' },
      schema: {
        tags,
        summary: 'Get a channel',
        description: 'One channel with its currencies, locale, head profile and `version` (for If-Match).',
        params: IdParam('chan'),
        response: { 200: ChannelRef, ...errorResponses(404) },
      },
    },
    async (request) => presentChannel(await getChannel(app.merx.db, request.params.id)),
  );

  app.patch(
    '/channels/:id',
    {
      config: { scope: 'channels:write' },
      schema: {
        tags,
        summary: 'Update a channel',
        description:
          'Send `If-Match: <version>` to refuse the write when someone else changed the channel first.',
        params: IdParam('chan'),
        headers: IfMatchHeaders,
        body: ChannelUpdate,
        response: { 200: ChannelRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      presentChannel(
        await updateChannel(app.merx.db, request.params.id, request.body, expectedVersion(request)),
      ),
  );

  app.delete(
    '/channels/:id',
    {
      config: { scope: 'channels:write' },
      schema: {
        tags,
        summary: 'Delete a channel',
        description: 'Deletes the channel and revokes its publishable keys.',
        params: IdParam('chan'),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await deleteChannel(app.merx.db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/keys',
    {
      config: { scope: 'channels:read' },
      schema: {
        tags,
        summary: 'List API keys',
        description:
          'Publishable keys show in full (they are public); secret keys only by their last characters.',
        response: { 200: Type.Object({ data: Type.Array(ApiKeyRef) }), ...errorResponses() },
      },
    },
    async () => ({ data: (await listApiKeys(app.merx.db)).map((row) => presentApiKey(row)) }),
  );

  app.post(
    '/keys',
    {
      config: { scope: '*' },
      schema: {
        tags,
        summary: 'Create an API key',
        description:
          'A publishable key (`pk_…`) selects a channel and is safe to ship in an app. A secret key (`sk_…`) opens the admin API with its scopes; its token is shown once, in this response.',
        body: ApiKeyCreate,
        response: { 201: ApiKeyRef, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const created = await createApiKey(app.merx.db, request.body);
      return reply.status(201).send(presentApiKey(created.row, created.token));
    },
  );

  app.delete(
    '/keys/:id',
    {
      config: { scope: '*' },
      schema: {
        tags,
        summary: 'Revoke an API key',
        description: 'The key stops working at once on this node and within 5 seconds on every other node.',
        params: IdParam('key'),
        response: { 200: ApiKeyRef, ...errorResponses(404) },
      },
    },
    async (request) => presentApiKey(await revokeApiKey(app.merx.db, request.params.id)),
  );
};

export const channelStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/channel',
    {
      schema: {
        tags: ['Store'],
        summary: 'The channel of this key',
        description: 'Which channel the publishable key selects: currencies, locale and head profile.',
        response: {
          200: Type.Object({
            id: Type.String(),
            name: Type.String(),
            kind: Type.String(),
            default_currency: Type.String(),
            currencies: Type.Array(Type.String()),
            locale: Type.String(),
            head_profile: Type.String(),
          }),
          ...errorResponses(),
        },
      },
    },
    async (request) => {
      const channel = request.channel;
      return {
        id: channel.id,
        name: channel.name,
        kind: channel.kind,
        default_currency: channel.defaultCurrency,
        currencies: channel.currencies,
        locale: channel.locale,
        head_profile: channel.headProfile,
      };
    },
  );
};
