import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { expectedVersion } from '../../http/concurrency.js';
import { errorResponses, IdParam, IfMatchHeaders, Page } from '../../http/schemas.js';
import { presentPromotion } from './convert.js';
import { Promotion, PromotionCreate, PromotionListQuery, PromotionUpdate } from './schema.js';
import {
  createPromotion,
  deletePromotion,
  getPromotion,
  listPromotions,
  updatePromotion,
} from './service.js';

const PromotionRef = Type.Ref('Promotion');

export const promotionAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Promotion);
  const tags = ['Promotions'];

  app.get(
    '/promotions',
    {
      config: { scope: 'promotions:read' },
      schema: {
        tags,
        summary: 'List promotions',
        description: 'Codes and automatic promotions, oldest first, with how often each was used.',
        querystring: PromotionListQuery,
        response: { 200: Page(PromotionRef), ...errorResponses() },
      },
    },
    async (request) => {
      const page = await listPromotions(app.merx.db, request.query);
      return { ...page, data: page.data.map(presentPromotion) };
    },
  );

  app.post(
    '/promotions',
    {
      config: { scope: 'promotions:write' },
      schema: {
        tags,
        summary: 'Create a promotion',
        description:
          'A `code` makes the shopper type it; without one the promotion applies automatically to every cart that meets its conditions. `percentage` takes `value` in basis points (1000 = 10 %), `fixed` in minor units of `conditions.currency`, `buy_x_get_y` uses `buy_x_get_y`. `usage_limit` and `usage_limit_per_customer` hold under concurrent checkouts: the checkout that would exceed them is refused with 409 `promotion_limit_reached`.',
        body: PromotionCreate,
        response: { 201: PromotionRef, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentPromotion(await createPromotion(app.merx.db, request.body))),
  );

  app.get(
    '/promotions/:id',
    {
      config: { scope: 'promotions:read' },
      schema: {
        tags,
        summary: 'Get a promotion',
        description: 'One promotion with its conditions, limits and how often it has been redeemed.',
        params: IdParam('promo'),
        response: { 200: PromotionRef, ...errorResponses(404) },
      },
    },
    async (request) => presentPromotion(await getPromotion(app.merx.db, request.params.id)),
  );

  app.patch(
    '/promotions/:id',
    {
      config: { scope: 'promotions:write' },
      schema: {
        tags,
        summary: 'Update a promotion',
        description:
          'Send `If-Match: <version>` to refuse the write when someone else changed it first. A usage limit cannot go below `times_used`.',
        params: IdParam('promo'),
        headers: IfMatchHeaders,
        body: PromotionUpdate,
        response: { 200: PromotionRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      presentPromotion(
        await updatePromotion(app.merx.db, request.params.id, request.body, expectedVersion(request)),
      ),
  );

  app.delete(
    '/promotions/:id',
    {
      config: { scope: 'promotions:write' },
      schema: {
        tags,
        summary: 'Delete an unused promotion',
        description:
          'A promotion that orders already used is kept for their record: deactivate it instead (409).',
        params: IdParam('promo'),
        response: { 204: Type.Null(), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      await deletePromotion(app.merx.db, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
