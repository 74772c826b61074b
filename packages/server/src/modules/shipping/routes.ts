import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { inTransaction } from '../../db/transaction.js';
import { expectedVersion } from '../../http/concurrency.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { errorResponses, IdParam, IfMatchHeaders, Page, PageQuery } from '../../http/schemas.js';
import {
  createShippingOption,
  deleteShippingOption,
  getShippingOption,
  listShippingOptions,
  presentShippingOption,
  updateShippingOption,
} from './options.js';
import {
  createRegion,
  deleteRegion,
  getRegion,
  listRegions,
  presentRegion,
  updateRegion,
} from './regions.js';
import {
  Region,
  RegionCreate,
  RegionUpdate,
  ShippingOption,
  ShippingOptionCreate,
  ShippingOptionUpdate,
} from './schema.js';

const tags = ['Shipping & tax'];

const afterCursor = (cursor: string | undefined) => {
  const after = decodeCursor(cursor, 1)?.[0];
  return typeof after === 'string' ? after : null;
};

export const shippingAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Region);
  app.addSchema(ShippingOption);
  const RegionRef = Type.Ref('Region');
  const OptionRef = Type.Ref('ShippingOption');
  const db = app.merx.db;

  app.get(
    '/regions',
    {
      config: { scope: 'settings:read' },
      schema: {
        tags,
        summary: 'List regions',
        description: 'Regions group countries that share a currency, tax rules and shipping options.',
        querystring: Type.Object(PageQuery, { additionalProperties: false }),
        response: { 200: Page(RegionRef), ...errorResponses() },
      },
    },
    async (request) => {
      const rows = await listRegions(db, {
        limit: request.query.limit,
        after: afterCursor(request.query.cursor),
      });
      const page = toPage(rows, request.query.limit, (row) => [row.id]);
      return { ...page, data: page.data.map(presentRegion) };
    },
  );

  app.post(
    '/regions',
    {
      config: { scope: 'settings:write' },
      schema: {
        tags,
        summary: 'Create a region',
        description:
          'A country belongs to at most one region (409 `country_in_other_region`). Tax: `tax_rate_bps` unless a `tax_overrides` entry matches the shipping address country (and province). With `tax_inclusive`, catalog prices already contain the tax and carts extract it; otherwise tax is added on top.',
        body: RegionCreate,
        response: { 201: RegionRef, ...errorResponses(409, 422) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(presentRegion(await inTransaction(db, (tx) => createRegion(tx, request.body)))),
  );

  app.get(
    '/regions/:id',
    {
      config: { scope: 'settings:read' },
      schema: {
        tags,
        summary: 'Get a region',
        description: 'The region with its countries, currency and tax rules.',
        params: IdParam('reg'),
        response: { 200: RegionRef, ...errorResponses(404) },
      },
    },
    async (request) => presentRegion(await getRegion(db, request.params.id)),
  );

  app.patch(
    '/regions/:id',
    {
      config: { scope: 'settings:write' },
      schema: {
        tags,
        summary: 'Update a region',
        description: '`countries` and `tax_overrides`, when sent, replace the lists. Honours `If-Match`.',
        params: IdParam('reg'),
        headers: IfMatchHeaders,
        body: RegionUpdate,
        response: { 200: RegionRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      presentRegion(
        await inTransaction(db, (tx) =>
          updateRegion(tx, request.params.id, request.body, expectedVersion(request)),
        ),
      ),
  );

  app.delete(
    '/regions/:id',
    {
      config: { scope: 'settings:write' },
      schema: {
        tags,
        summary: 'Delete a region',
        description:
          'Deletes the region and its shipping options; carts shipping there lose their shipping option.',
        params: IdParam('reg'),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await deleteRegion(db, request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/shipping-options',
    {
      config: { scope: 'settings:read' },
      schema: {
        tags,
        summary: 'List shipping options',
        description: 'Every shipping option, optionally of one region, active or not.',
        querystring: Type.Object(
          { ...PageQuery, region_id: Type.Optional(Type.String({ minLength: 3, maxLength: 64 })) },
          { additionalProperties: false },
        ),
        response: { 200: Page(OptionRef), ...errorResponses() },
      },
    },
    async (request) => {
      const { limit, cursor, region_id } = request.query;
      const rows = await listShippingOptions(db, { limit, after: afterCursor(cursor), regionId: region_id });
      const page = toPage(rows, limit, (row) => [row.id]);
      return { ...page, data: page.data.map(presentShippingOption) };
    },
  );

  app.post(
    '/shipping-options',
    {
      config: { scope: 'settings:write' },
      schema: {
        tags,
        summary: 'Create a shipping option',
        description:
          'Amounts are minor units of the region’s currency. Kinds: `flat` (`amount`), `free_over` (`amount`, free from `threshold` of merchandise after discounts), `weight` (`weight_brackets`, the first bracket whose `up_to_grams` fits the cart weight; a cart heavier than every bounded bracket gets no such option unless a bracket has `up_to_grams: null`).',
        body: ShippingOptionCreate,
        response: { 201: OptionRef, ...errorResponses(422) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(presentShippingOption(await inTransaction(db, (tx) => createShippingOption(tx, request.body)))),
  );

  app.get(
    '/shipping-options/:id',
    {
      config: { scope: 'settings:read' },
      schema: {
        tags,
        summary: 'Get a shipping option',
        description: 'The option with its kind and prices in the region’s currency.',
        params: IdParam('ship'),
        response: { 200: OptionRef, ...errorResponses(404) },
      },
    },
    async (request) => presentShippingOption(await getShippingOption(db, request.params.id)),
  );

  app.patch(
    '/shipping-options/:id',
    {
      config: { scope: 'settings:write' },
      schema: {
        tags,
        summary: 'Update a shipping option',
        description: 'The kind cannot change; fields of another kind are refused (422). Honours `If-Match`.',
        params: IdParam('ship'),
        headers: IfMatchHeaders,
        body: ShippingOptionUpdate,
        response: { 200: OptionRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      presentShippingOption(
        await inTransaction(db, (tx) =>
          updateShippingOption(tx, request.params.id, request.body, expectedVersion(request)),
        ),
      ),
  );

  app.delete(
    '/shipping-options/:id',
    {
      config: { scope: 'settings:write' },
      schema: {
        tags,
        summary: 'Delete a shipping option',
        description:
          'Carts that chose it lose their shipping option on their next change (set `active: false` to retire it gently).',
        params: IdParam('ship'),
        response: { 204: Type.Null(), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      await deleteShippingOption(db, request.params.id);
      return reply.status(204).send(null);
    },
  );
};
