import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { inTransaction } from '../../db/transaction.js';
import { expectedVersion } from '../../http/concurrency.js';
import { decodeCursor, toPage } from '../../http/pagination.js';
import { errorResponses, IdParam, IfMatchHeaders, Page, PageQuery } from '../../http/schemas.js';
import { getVariant } from '../catalog/variants.js';
import { getChannel } from '../channels/service.js';
import { getAvailability, presentAvailability } from './availability.js';
import {
  createLocation,
  deleteLocation,
  getLocation,
  listLocations,
  presentLocation,
  updateLocation,
} from './locations.js';
import {
  Adjustment,
  AvailabilityItem,
  LevelSet,
  Movement,
  ReservationSettings,
  ReservationSettingsUpdate,
  StockLocation,
  StockLocationCreate,
  StockLocationUpdate,
  VariantIdsQuery,
  VariantInventory,
  VariantInventoryUpdate,
} from './schema.js';
import { getReservationSettings, presentReservationSettings, setReservationSettings } from './settings.js';
import {
  adjustStock,
  getVariantInventory,
  listMovements,
  presentMovement,
  setBackorder,
  setStockLevel,
} from './stock.js';

const tags = ['Inventory'];
const VariantParam = Type.Object({ variant_id: Type.String({ minLength: 3, maxLength: 64 }) });
const ChannelParam = Type.Object({ channel_id: Type.String({ minLength: 3, maxLength: 64 }) });

async function availabilityList(db: Parameters<typeof getAvailability>[0], channelId: string, ids: string) {
  const variantIds = ids.split(',');
  const found = await getAvailability(db, { channelId, variantIds });
  return {
    data: variantIds.flatMap((variantId) => {
      const availability = found.get(variantId);
      return availability ? [{ variant_id: variantId, ...presentAvailability(availability) }] : [];
    }),
  };
}

export const inventoryAdminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(StockLocation);
  const LocationRef = Type.Ref('StockLocation');
  const db = app.merx.db;

  app.get(
    '/stock-locations',
    {
      config: { scope: 'inventory:read' },
      schema: {
        tags,
        summary: 'List stock locations',
        description: 'Warehouses and stores holding stock, with the channels each one sells to.',
        querystring: Type.Object(
          { ...PageQuery, channel_id: Type.Optional(Type.String({ minLength: 3, maxLength: 64 })) },
          { additionalProperties: false },
        ),
        response: { 200: Page(LocationRef), ...errorResponses() },
      },
    },
    async (request) => {
      const { limit, cursor, channel_id } = request.query;
      const after = decodeCursor(cursor, 1)?.[0];
      const rows = await listLocations(db, {
        limit,
        after: typeof after === 'string' ? after : null,
        channelId: channel_id,
      });
      const page = toPage(rows, limit, (row) => [row.id]);
      return { ...page, data: page.data.map(presentLocation) };
    },
  );

  app.post(
    '/stock-locations',
    {
      config: { scope: 'inventory:write' },
      schema: {
        tags,
        summary: 'Create a stock location',
        description:
          'A location serves the channels in `channel_ids`: those channels sell its stock. With several locations, lower `priority` is drawn from first.',
        body: StockLocationCreate,
        response: { 201: LocationRef, ...errorResponses(422) },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(presentLocation(await inTransaction(db, (tx) => createLocation(tx, request.body)))),
  );

  app.get(
    '/stock-locations/:id',
    {
      config: { scope: 'inventory:read' },
      schema: {
        tags,
        summary: 'Get a stock location',
        description: 'The location with its priority, address and the channels it serves.',
        params: IdParam('sloc'),
        response: { 200: LocationRef, ...errorResponses(404) },
      },
    },
    async (request) => presentLocation(await getLocation(db, request.params.id)),
  );

  app.patch(
    '/stock-locations/:id',
    {
      config: { scope: 'inventory:write' },
      schema: {
        tags,
        summary: 'Update a stock location',
        description: '`channel_ids`, when sent, replaces the list of channels served. Honours `If-Match`.',
        params: IdParam('sloc'),
        headers: IfMatchHeaders,
        body: StockLocationUpdate,
        response: { 200: LocationRef, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) =>
      presentLocation(
        await inTransaction(db, (tx) =>
          updateLocation(tx, request.params.id, request.body, expectedVersion(request)),
        ),
      ),
  );

  app.delete(
    '/stock-locations/:id',
    {
      config: { scope: 'inventory:write' },
      schema: {
        tags,
        summary: 'Delete a stock location',
        description: 'Refused with 409 `location_not_empty` while any level there has stock on hand or held.',
        params: IdParam('sloc'),
        response: { 204: Type.Null(), ...errorResponses(404, 409) },
      },
    },
    async (request, reply) => {
      await inTransaction(db, (tx) => deleteLocation(tx, request.params.id));
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/inventory/variants/:variant_id',
    {
      config: { scope: 'inventory:read' },
      schema: {
        tags,
        summary: 'Stock of a variant',
        description: 'Levels at every location: on hand, held by carts and orders, available.',
        params: VariantParam,
        response: { 200: VariantInventory, ...errorResponses(404) },
      },
    },
    async (request) => {
      await getVariant(db, request.params.variant_id);
      return getVariantInventory(db, request.params.variant_id);
    },
  );

  app.patch(
    '/inventory/variants/:variant_id',
    {
      config: { scope: 'inventory:write' },
      schema: {
        tags,
        summary: 'Allow or forbid backorders',
        description:
          'With `allow_backorder`, shoppers may buy beyond stock. Turning it off while more is promised than held is refused (409 `backorders_outstanding`).',
        params: VariantParam,
        body: VariantInventoryUpdate,
        response: { 200: VariantInventory, ...errorResponses(404, 409) },
      },
    },
    async (request) => {
      await getVariant(db, request.params.variant_id);
      await inTransaction(db, (tx) =>
        setBackorder(tx, request.params.variant_id, request.body.allow_backorder),
      );
      return getVariantInventory(db, request.params.variant_id);
    },
  );

  app.put(
    '/inventory/variants/:variant_id/levels/:location_id',
    {
      config: { scope: 'inventory:write' },
      schema: {
        tags,
        summary: 'Set the stock of a variant at a location',
        description:
          'Sets the counted quantity (a stock take); the difference goes to the movement history with `reason` (default `cycle_count`). On hand may not drop below what is held (409 `below_reserved`) unless backorders are allowed. Emits `inventory.changed`, and `inventory.low` when availability crosses `low_stock_threshold`.',
        params: Type.Object({
          variant_id: Type.String({ minLength: 3, maxLength: 64 }),
          location_id: Type.String({ minLength: 3, maxLength: 64 }),
        }),
        body: LevelSet,
        response: { 200: VariantInventory, ...errorResponses(404, 409, 422) },
      },
    },
    async (request) => {
      const { variant_id, location_id } = request.params;
      await getVariant(db, variant_id);
      await inTransaction(db, (tx) =>
        setStockLevel(tx, {
          variantId: variant_id,
          locationId: location_id,
          onHand: request.body.on_hand,
          lowStockThreshold: request.body.low_stock_threshold,
          reason: request.body.reason ?? 'cycle_count',
          note: request.body.note,
          actor: request.admin.id,
        }),
      );
      return getVariantInventory(db, variant_id);
    },
  );

  app.post(
    '/inventory/variants/:variant_id/adjustments',
    {
      config: { scope: 'inventory:write' },
      schema: {
        tags,
        summary: 'Adjust stock with a reason',
        description:
          'Adds (`delta` > 0) or removes units at a location. On hand never goes below zero (422 `insufficient_stock`) nor below what carts and orders hold (409 `below_reserved`).',
        params: VariantParam,
        body: Adjustment,
        response: { 201: VariantInventory, ...errorResponses(404, 409, 422) },
      },
    },
    async (request, reply) => {
      await getVariant(db, request.params.variant_id);
      await inTransaction(db, (tx) =>
        adjustStock(tx, {
          variantId: request.params.variant_id,
          locationId: request.body.location_id,
          delta: request.body.delta,
          reason: request.body.reason,
          note: request.body.note,
          actor: request.admin.id,
        }),
      );
      return reply.status(201).send(await getVariantInventory(db, request.params.variant_id));
    },
  );

  app.get(
    '/inventory/movements',
    {
      config: { scope: 'inventory:read' },
      schema: {
        tags,
        summary: 'Stock movement history',
        description: 'Every change of on-hand stock, newest first, with reason, actor and order.',
        querystring: Type.Object(
          {
            ...PageQuery,
            variant_id: Type.Optional(Type.String({ minLength: 3, maxLength: 64 })),
            location_id: Type.Optional(Type.String({ minLength: 3, maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Page(Movement), ...errorResponses() },
      },
    },
    async (request) => {
      const { limit, cursor, variant_id, location_id } = request.query;
      const before = decodeCursor(cursor, 1)?.[0];
      const rows = await listMovements(db, {
        limit,
        before: typeof before === 'string' ? before : null,
        variantId: variant_id,
        locationId: location_id,
      });
      const page = toPage(rows, limit, (row) => [row.id]);
      return { ...page, data: page.data.map(presentMovement) };
    },
  );

  app.get(
    '/inventory/availability',
    {
      config: { scope: 'inventory:read' },
      schema: {
        tags,
        summary: 'Availability of variants in a channel',
        description:
          'What shoppers of `channel_id` can buy: stock in the locations serving that channel, minus holds.',
        querystring: Type.Object(
          { channel_id: Type.String({ minLength: 3, maxLength: 64 }), variant_ids: VariantIdsQuery },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ data: Type.Array(AvailabilityItem) }), ...errorResponses(404) },
      },
    },
    async (request) => {
      await getChannel(db, request.query.channel_id);
      return availabilityList(db, request.query.channel_id, request.query.variant_ids);
    },
  );

  app.get(
    '/inventory/channel-settings/:channel_id',
    {
      config: { scope: 'inventory:read' },
      schema: {
        tags,
        summary: 'Reservation settings of a channel',
        description:
          'When the channel holds stock (`at_add_to_cart`, `at_checkout` or `at_order`) and how long an add-to-cart hold lives without cart activity. Version 0 means the defaults (`at_checkout`, 900 s).',
        params: ChannelParam,
        response: { 200: ReservationSettings, ...errorResponses(404) },
      },
    },
    async (request) => {
      await getChannel(db, request.params.channel_id);
      return presentReservationSettings(await getReservationSettings(db, request.params.channel_id));
    },
  );

  app.put(
    '/inventory/channel-settings/:channel_id',
    {
      config: { scope: 'inventory:write' },
      schema: {
        tags,
        summary: 'Choose when a channel reserves stock',
        description:
          'Sets the reservation point and the time-to-live of add-to-cart holds. Honours `If-Match` (version 0 means defaults).',
        params: ChannelParam,
        headers: IfMatchHeaders,
        body: ReservationSettingsUpdate,
        response: { 200: ReservationSettings, ...errorResponses(404, 409) },
      },
    },
    async (request) =>
      presentReservationSettings(
        await inTransaction(db, (tx) =>
          setReservationSettings(tx, request.params.channel_id, request.body, expectedVersion(request)),
        ),
      ),
  );
};

export const inventoryStoreRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/availability',
    {
      schema: {
        tags: ['Store'],
        summary: 'Stock availability',
        description:
          'Whether each variant can be bought in this channel, and how many units (`null` when stock is not tracked). Holds by abandoned carts whose time ran out are not counted.',
        querystring: Type.Object({ variant_ids: VariantIdsQuery }, { additionalProperties: false }),
        response: { 200: Type.Object({ data: Type.Array(AvailabilityItem) }), ...errorResponses() },
      },
    },
    async (request) => availabilityList(app.merx.db, request.channel.id, request.query.variant_ids),
  );
};
