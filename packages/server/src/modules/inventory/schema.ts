import { Type } from 'typebox';
import { Timestamp } from '../../http/schemas.js';
import { MOVEMENT_REASONS } from './stock.js';

const ChannelIds = Type.Array(Type.String({ minLength: 3, maxLength: 64 }), {
  maxItems: 100,
  uniqueItems: true,
  description: 'Channels this location sells from',
});
const Address = Type.Union([Type.Record(Type.String({ maxLength: 64 }), Type.Unknown()), Type.Null()], {
  description: 'Free-form postal address of the location',
});

export const StockLocation = Type.Object(
  {
    id: Type.String({ examples: ['sloc_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    name: Type.String(),
    priority: Type.Integer({ description: 'Lower is drawn from first' }),
    address: Address,
    channel_ids: Type.Array(Type.String()),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'StockLocation' },
);

export const StockLocationCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Berlin warehouse'] }),
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    address: Type.Optional(Address),
    channel_ids: Type.Optional(ChannelIds),
  },
  { additionalProperties: false },
);

export const StockLocationUpdate = Type.Partial(StockLocationCreate, {
  additionalProperties: false,
  minProperties: 1,
});

const Quantity = Type.Integer({ minimum: 0, maximum: 100_000_000 });
const AdminReason = Type.Union(
  MOVEMENT_REASONS.filter((reason) => reason !== 'order_placed').map((reason) => Type.Literal(reason)),
  { description: 'Why the stock moved; kept in the movement history' },
);
const Note = Type.String({ maxLength: 500, description: 'Free text for the movement history' });

export const VariantInventory = Type.Object({
  variant_id: Type.String(),
  tracked: Type.Boolean({
    description: 'False until the variant has a level somewhere: untracked = unlimited',
  }),
  allow_backorder: Type.Boolean(),
  levels: Type.Array(
    Type.Object({
      location_id: Type.String(),
      location_name: Type.String(),
      on_hand: Type.Integer(),
      reserved: Type.Integer({ description: 'Held by carts and orders (lapsed holds excluded)' }),
      available: Type.Integer(),
      low_stock_threshold: Type.Union([Type.Integer(), Type.Null()]),
      updated_at: Timestamp,
    }),
  ),
});

export const VariantInventoryUpdate = Type.Object(
  {
    allow_backorder: Type.Boolean({ description: 'Sell beyond stock; the shortfall is owed as a backorder' }),
  },
  { additionalProperties: false },
);

export const LevelSet = Type.Object(
  {
    on_hand: Quantity,
    low_stock_threshold: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0, maximum: 100_000_000 }), Type.Null()], {
        description: '`inventory.low` fires when availability drops to this',
      }),
    ),
    reason: Type.Optional(AdminReason),
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);

export const Adjustment = Type.Object(
  {
    location_id: Type.String({ minLength: 3, maxLength: 64 }),
    delta: Type.Integer({
      minimum: -100_000_000,
      maximum: 100_000_000,
      not: { const: 0 },
      description: 'Units added (positive) or removed (negative)',
    }),
    reason: AdminReason,
    note: Type.Optional(Note),
  },
  { additionalProperties: false },
);

export const Movement = Type.Object({
  id: Type.String(),
  variant_id: Type.String(),
  location_id: Type.String(),
  delta: Type.Integer(),
  on_hand_after: Type.Integer(),
  reason: Type.String(),
  note: Type.Union([Type.String(), Type.Null()]),
  actor: Type.Union([Type.String(), Type.Null()]),
  order_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
});

const ReservationPointSchema = Type.Union(
  [Type.Literal('at_add_to_cart'), Type.Literal('at_checkout'), Type.Literal('at_order')],
  {
    description:
      'When stock is held: `at_add_to_cart` (held while the cart is active, released after the TTL without activity), `at_checkout` (held from checkout start), `at_order` (taken only when the order is placed)',
  },
);

export const ReservationSettings = Type.Object({
  channel_id: Type.String(),
  reservation_point: ReservationPointSchema,
  reservation_ttl_seconds: Type.Integer(),
  version: Type.Integer({ description: '0 while the channel runs on the defaults' }),
});

export const ReservationSettingsUpdate = Type.Object(
  {
    reservation_point: Type.Optional(ReservationPointSchema),
    reservation_ttl_seconds: Type.Optional(
      Type.Integer({
        minimum: 60,
        maximum: 604_800,
        description: 'Lifetime of a cart hold without activity',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const AvailabilityItem = Type.Object({
  variant_id: Type.String(),
  tracked: Type.Boolean(),
  available: Type.Union([Type.Integer(), Type.Null()], { description: 'null when stock is not tracked' }),
  allow_backorder: Type.Boolean(),
  in_stock: Type.Boolean(),
});

export const VariantIdsQuery = Type.String({
  minLength: 1,
  maxLength: 6500,
  pattern: '^[\\w-]+(,[\\w-]+){0,99}$',
  description: 'Comma-separated variant IDs (at most 100)',
});
