import { Type } from 'typebox';
import { PageQuery, Timestamp } from '../../http/schemas.js';

const EventTypePattern = Type.String({
  pattern: '^(\\*|[a-z_]+\\.\\*|[a-z_]+\\.[a-z_.]+)$',
  maxLength: 100,
  description: 'An event type (`order.placed`), a family (`order.*`) or `*` for all',
  examples: ['order.placed'],
});

const Url = Type.String({
  minLength: 8,
  maxLength: 2048,
  description:
    'http(s) URL. Hosts that resolve to loopback, private, link-local or metadata addresses are refused ' +
    '(loopback is allowed only when the operator enables MERX_WEBHOOK_ALLOW_LOOPBACK)',
  examples: ['https://hooks.example.com/merx'],
});

export const WebhookEndpoint = Type.Object(
  {
    id: Type.String({ examples: ['whep_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    url: Type.String(),
    description: Type.String(),
    event_types: Type.Array(Type.String()),
    enabled: Type.Boolean(),
    secret_hint: Type.String({ description: 'Last characters of the signing secret' }),
    secret: Type.Optional(
      Type.String({ description: 'The signing secret: returned only when the endpoint is created' }),
    ),
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'WebhookEndpoint', additionalProperties: false },
);

export const WebhookEndpointCreate = Type.Object(
  {
    url: Url,
    event_types: Type.Array(EventTypePattern, { minItems: 1, maxItems: 50, uniqueItems: true }),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  {
    additionalProperties: false,
    examples: [{ url: 'https://hooks.example.com/merx', event_types: ['order.placed', 'order.paid'] }],
  },
);

export const WebhookEndpointUpdate = Type.Object(
  {
    url: Type.Optional(Url),
    event_types: Type.Optional(
      Type.Array(EventTypePattern, { minItems: 1, maxItems: 50, uniqueItems: true }),
    ),
    description: Type.Optional(Type.String({ maxLength: 500 })),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

const Attempt = Type.Object(
  {
    attempt: Type.Integer(),
    status_code: Type.Union([Type.Integer(), Type.Null()]),
    duration_ms: Type.Integer(),
    error: Type.Union([Type.String(), Type.Null()]),
    created_at: Timestamp,
  },
  { additionalProperties: false },
);

export const WebhookDelivery = Type.Object(
  {
    id: Type.String({ examples: ['edl_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    endpoint_id: Type.String(),
    event_id: Type.String(),
    event_seq: Type.Integer(),
    event_type: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('dead')], {
      description: '`dead`: gave up after the maximum number of attempts (replay it by hand)',
    }),
    attempts: Type.Integer({ description: 'Attempts in the current round (a replay starts a new round)' }),
    next_attempt_at: Type.Union([Timestamp, Type.Null()]),
    last_status_code: Type.Union([Type.Integer(), Type.Null()]),
    last_error: Type.Union([Type.String(), Type.Null()]),
    last_duration_ms: Type.Union([Type.Integer(), Type.Null()]),
    attempt_log: Type.Optional(Type.Array(Attempt, { description: 'Every attempt, oldest first' })),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'WebhookDelivery', additionalProperties: false },
);

export const DeliveryListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(
      Type.Union([Type.Literal('pending'), Type.Literal('succeeded'), Type.Literal('dead')]),
    ),
  },
  { additionalProperties: false },
);

export const DeliveryParams = Type.Object({
  id: Type.String({ minLength: 3, maxLength: 64 }),
  delivery_id: Type.String({ minLength: 3, maxLength: 64 }),
});
