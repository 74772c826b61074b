import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion } from '../../http/concurrency.js';
import { errorResponses, IdParam, IfMatchHeaders } from '../../http/schemas.js';
import { getVariant } from '../catalog/variants.js';
import { Price, PriceCreate, PriceUpdate } from './schema.js';
import { createPrice, deletePrice, getPrice, presentPrice, updatePrice } from './service.js';

const PriceRef = Type.Ref('Price');
const tags = ['Catalog'];

export const pricingAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Price);
  const db = app.merx.db;

  app.get(
    '/variants/:id/prices',
    {
      config: { scope: 'catalog:read' },
      schema: {
        tags,
        summary: 'List a variant’s prices',
        description:
          'Every price rule of the variant: base, per channel, customer group or segment, quantity tiers and scheduled windows.',
        params: IdParam('var'),
        response: { 200: Type.Object({ data: Type.Array(PriceRef) }), ...errorResponses(404) },
      },
    },
    async (request) => ({ data: (await getVariant(db, request.params.id)).prices }),
  );

  app.post(
    '/variants/:id/prices',
    {
      config: { scope: 'catalog:write' },
      schema: {
        tags,
        summary: 'Add a price',
        description:
          'Amounts are integer minor units. A channel-scoped price must use one of the channel’s currencies (422). The most specific applicable price wins: segment, then customer group, then channel, then base; within it the highest `min_quantity` not above the quantity bought. A second price with the same currency, scope, tier and start is 409.',
        params: IdParam('var'),
        body: PriceCreate,
        response: { 201: PriceRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentPrice(await createPrice(db, request.params.id, request.body))),
  );

  app.get(
    '/prices/:id',
    {
      config: { scope: 'catalog:read' },
      schema: {
        tags,
        summary: 'Get a price',
        description: 'One price rule with its scope, tier and validity window.',
        params: IdParam('price'),
        response: { 200: PriceRef, ...errorResponses(404) },
      },
    },
    async (request) => presentPrice(await getPrice(db, request.params.id)),
  );

  app.patch(
    '/prices/:id',
    {
      config: { scope: 'catalog:write' },
      schema: {
        tags,
        summary: 'Update a price',
        description: 'Send `If-Match: <version>` to refuse a stale write (409 with the current price).',
        params: IdParam('price'),
        headers: IfMatchHeaders,
        body: PriceUpdate,
        response: { 200: PriceRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      presentPrice(await updatePrice(db, request.params.id, request.body, expectedVersion(request))),
  );

  app.delete(
    '/prices/:id',
    {
      config: { scope: 'catalog:write' },
      schema: {
        tags,
        summary: 'Delete a price',
        description: 'Removes the price rule; the variant falls back to the next applicable price.',
        params: IdParam('price'),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await deletePrice(db, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
