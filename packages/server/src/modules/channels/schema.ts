import { Type } from 'typebox';
import { Currency, Metadata, Timestamp } from '../../http/schemas.js';

export const CHANNEL_KINDS = [
  'web',
  'mobile',
  'social',
  'voice',
  'iot',
  'pos',
  'marketplace',
  'other',
] as const;
export const HEAD_PROFILES = ['full', 'compact', 'speakable'] as const;
export const SCOPES = [
  '*',
  'catalog:read',
  'catalog:write',
  'channels:read',
  'channels:write',
  'inventory:read',
  'inventory:write',
  'orders:read',
  'orders:write',
  'customers:read',
  'customers:write',
  'promotions:read',
  'promotions:write',
  'settings:read',
  'settings:write',
  'events:read',
  'webhooks:read',
  'webhooks:write',
] as const;

const ChannelKind = Type.Union(
  CHANNEL_KINDS.map((kind) => Type.Literal(kind)),
  { description: 'What sort of head the channel serves' },
);
const HeadProfile = Type.Union(
  HEAD_PROFILES.map((profile) => Type.Literal(profile)),
  {
    description:
      'Response shape for this channel’s heads: full (web), compact (watch, IoT), speakable (voice)',
  },
);

export const Channel = Type.Object(
  {
    id: Type.String({ examples: ['chan_01jd8x2k3m4n5p6q7r8s9t0v1w'] }),
    name: Type.String(),
    kind: ChannelKind,
    default_currency: Currency,
    currencies: Type.Array(Currency),
    locale: Type.String(),
    head_profile: HeadProfile,
    metadata: Metadata,
    version: Type.Integer(),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'Channel' },
);

export const ChannelCreate = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, examples: ['Web store'] }),
    kind: ChannelKind,
    default_currency: Currency,
    currencies: Type.Optional(Type.Array(Currency, { minItems: 1, maxItems: 50, uniqueItems: true })),
    locale: Type.Optional(Type.String({ minLength: 2, maxLength: 35, examples: ['en-GB'] })),
    head_profile: Type.Optional(HeadProfile),
    metadata: Type.Optional(Metadata),
  },
  { additionalProperties: false },
);

export const ChannelUpdate = Type.Partial(ChannelCreate, { additionalProperties: false, minProperties: 1 });

const Scope = Type.Union(SCOPES.map((scope) => Type.Literal(scope)));

export const ApiKey = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('publishable'), Type.Literal('secret')]),
    name: Type.String(),
    channel_id: Type.Union([Type.String(), Type.Null()]),
    token_hint: Type.String({ description: 'Last characters of the key, to recognise it' }),
    token: Type.Optional(
      Type.String({
        description: 'The full key: always for publishable keys, only at creation for secret keys',
      }),
    ),
    scopes: Type.Array(Type.String()),
    revoked_at: Type.Union([Timestamp, Type.Null()]),
    created_at: Timestamp,
  },
  { $id: 'ApiKey' },
);

export const ApiKeyCreate = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('publishable'),
      name: Type.String({ minLength: 1, maxLength: 200 }),
      channel_id: Type.String({ minLength: 3, maxLength: 64 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('secret'),
      name: Type.String({ minLength: 1, maxLength: 200 }),
      scopes: Type.Array(Scope, { minItems: 1, uniqueItems: true }),
    },
    { additionalProperties: false },
  ),
]);
