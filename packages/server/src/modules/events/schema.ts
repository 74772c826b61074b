import { Type } from 'typebox';
import { PageQuery, Timestamp } from '../../http/schemas.js';

export const Event = Type.Object(
  {
    id: Type.String({ examples: ['evt_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    seq: Type.Integer({
      description: 'Position in the outbox: strictly increasing in the order events become readable',
      examples: [1042],
    }),
    type: Type.String({ examples: ['cart.updated'] }),
    resource_type: Type.String({ examples: ['cart'] }),
    resource_id: Type.String({ examples: ['cart_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    channel_id: Type.Union([Type.String(), Type.Null()]),
    customer_id: Type.Union([Type.String(), Type.Null()]),
    data: Type.Unknown({ description: 'The resource’s new state (or a reference to it)' }),
    created_at: Timestamp,
  },
  { $id: 'Event', additionalProperties: false },
);

const TypeList = Type.String({
  pattern: '^[a-z_]+\\.[a-z_.]+(,[a-z_]+\\.[a-z_.]+)*$',
  maxLength: 500,
  description: 'One event type or several, comma-separated',
  examples: ['cart.updated,cart.completed'],
});

export const EventListQuery = Type.Object(
  {
    ...PageQuery,
    type: Type.Optional(TypeList),
    resource_id: Type.Optional(Type.String({ maxLength: 64 })),
    channel_id: Type.Optional(Type.String({ maxLength: 64 })),
    customer_id: Type.Optional(Type.String({ maxLength: 64 })),
    after_seq: Type.Optional(
      Type.Integer({
        minimum: 0,
        description: 'Only events with a greater seq (resume a feed from the last seq you stored)',
      }),
    ),
    created_after: Type.Optional(Type.String({ format: 'date-time' })),
    created_before: Type.Optional(Type.String({ format: 'date-time' })),
  },
  { additionalProperties: false },
);

export const EventStreamQuery = Type.Object(
  {
    type: Type.Optional(TypeList),
    resource_id: Type.Optional(Type.String({ maxLength: 64 })),
    customer_id: Type.Optional(Type.String({ maxLength: 64 })),
    channel_id: Type.Optional(Type.String({ maxLength: 64 })),
    key: Type.Optional(
      Type.String({ maxLength: 200, description: 'The key, for clients that cannot send headers' }),
    ),
    last_event_id: Type.Optional(
      Type.String({ pattern: '^\\d{1,15}$', description: 'Same as the `Last-Event-ID` header' }),
    ),
  },
  { additionalProperties: false },
);

export const StoreStreamQuery = Type.Object(
  {
    key: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'Publishable key, for EventSource (it cannot send headers)',
      }),
    ),
    customer_token: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'Customer session token, for EventSource (instead of X-Customer-Token)',
      }),
    ),
    last_event_id: Type.Optional(
      Type.String({ pattern: '^\\d{1,15}$', description: 'Same as the `Last-Event-ID` header' }),
    ),
  },
  { additionalProperties: false },
);

export const SSE_DESCRIPTION =
  'A `text/event-stream` (Server-Sent Events). Every message carries `id:` = the outbox `seq`; reconnect ' +
  'with `Last-Event-ID` (EventSource does it automatically) to receive exactly the events you missed. ' +
  'Comment lines (`: heartbeat`) keep idle connections open through proxies.';
