import { type TSchema, Type } from 'typebox';

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String({ description: 'Stable machine-readable error code' }),
    detail: Type.String(),
    errors: Type.Optional(
      Type.Array(Type.Object({ field: Type.String(), message: Type.String() }), {
        description: 'One entry per offending field',
      }),
    ),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);

export const ProblemRef = Type.Ref('Problem');

/** Error responses every route can return; routes add their specific ones. */
export function errorResponses(...statuses: number[]) {
  const out: Record<number, TSchema> = {};
  for (const status of [400, 401, 403, 429, ...statuses]) out[status] = ProblemRef;
  return out;
}

export const Currency = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'ISO 4217 code',
  examples: ['EUR'],
});

export const MinorUnits = Type.Integer({
  minimum: 0,
  maximum: 1_000_000_000_000,
  description: 'Amount in the currency’s minor units (cents); never a float',
  examples: [1999],
});

export const Money = Type.Object({ amount: MinorUnits, currency: Currency });

export const Metadata = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown(), {
  description: 'Free-form JSON for integrations',
});

export const Timestamp = Type.String({ format: 'date-time' });

export const IdParam = (prefix: string) =>
  Type.Object({
    id: Type.String({ minLength: 3, maxLength: 64, examples: [`${prefix}_01jd8x2k3m4n5p6q7r8s9t0v1w`] }),
  });

export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (at most 100)' }),
  cursor: Type.Optional(Type.String({ maxLength: 512, description: 'Opaque cursor from `next_cursor`' })),
};

export function Page<T extends TSchema>(item: T) {
  return Type.Object({
    data: Type.Array(item),
    has_more: Type.Boolean(),
    next_cursor: Type.Union([Type.String(), Type.Null()]),
  });
}

export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({ description: 'The `version` you last read; a stale one gets 409 with the current state' }),
  ),
});

export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 255,
      description: 'Retrying with the same key and body returns the first response; another body gets 422',
    }),
  ),
});
