import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import type { FieldError } from '../../http/problem.js';
import { PriceCreate } from '../pricing/schema.js';
import { Handle, ProductStatus } from './schema.js';

/**
 * One product per JSON Lines record (and per handle group in CSV). A record is the
 * product's whole state: importing it again with a field left out resets that field
 * (empty lists, defaults), so an export re-imported reproduces the catalog exactly.
 */
export const ImportRecordSchema = Type.Object(
  {
    handle: Handle,
    title: Type.String({ minLength: 1, maxLength: 500 }),
    description: Type.Optional(Type.String({ maxLength: 50_000 })),
    status: Type.Optional(ProductStatus),
    attributes: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Type.Unknown())),
    media: Type.Optional(
      Type.Array(
        Type.Object(
          {
            url: Type.String({ minLength: 1, maxLength: 2048 }),
            alt: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
          },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
    categories: Type.Optional(Type.Array(Handle, { maxItems: 1000, uniqueItems: true })),
    collections: Type.Optional(Type.Array(Handle, { maxItems: 1000, uniqueItems: true })),
    channels: Type.Optional(
      Type.Array(Type.String({ minLength: 3, maxLength: 64 }), { maxItems: 100, uniqueItems: true }),
    ),
    options: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 100 }),
            values: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
              maxItems: 200,
              uniqueItems: true,
            }),
          },
          { additionalProperties: false },
        ),
        { maxItems: 10 },
      ),
    ),
    variants: Type.Optional(
      Type.Array(
        Type.Object(
          {
            sku: Type.String({ minLength: 1, maxLength: 100 }),
            title: Type.Optional(Type.String({ maxLength: 500 })),
            options: Type.Optional(
              Type.Record(
                Type.String({ minLength: 1, maxLength: 100 }),
                Type.String({ minLength: 1, maxLength: 100 }),
              ),
            ),
            barcode: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()])),
            weight_grams: Type.Optional(
              Type.Union([Type.Integer({ minimum: 0, maximum: 100_000_000 }), Type.Null()]),
            ),
            prices: Type.Optional(Type.Array(PriceCreate, { maxItems: 200 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 500 },
      ),
    ),
  },
  { additionalProperties: false },
);

export type ImportRecord = Type.Static<typeof ImportRecordSchema>;

const compiled = Compile(ImportRecordSchema);

/** Schema errors as `{ field, message }`, fields as JSON pointers into the record. */
export function recordSchemaErrors(value: unknown): FieldError[] {
  if (compiled.Check(value)) return [];
  const errors: FieldError[] = [];
  for (const error of compiled.Errors(value)) {
    const params = error.params as { requiredProperties?: string[] };
    if (error.keyword === 'additionalProperties') continue; // reported per field as `boolean` below
    if (error.keyword === 'boolean')
      errors.push({ field: error.instancePath, message: 'is not a known field' });
    else if (error.keyword === 'required')
      for (const name of params.requiredProperties ?? [])
        errors.push({ field: `${error.instancePath}/${name}`, message: 'is required' });
    else errors.push({ field: error.instancePath || '/', message: error.message });
  }
  return errors;
}

export interface ParsedLine {
  line: number;
  value: unknown;
}

export interface LineError {
  line: number;
  handle: string | null;
  errors: FieldError[];
}

/** JSON Lines: one JSON object per non-blank line; a malformed line is that line's error. */
export function parseJsonLines(text: string): { records: ParsedLine[]; errors: LineError[] } {
  const records: ParsedLine[] = [];
  const errors: LineError[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    try {
      records.push({ line, value: JSON.parse(raw) });
    } catch {
      errors.push({ line, handle: null, errors: [{ field: '/', message: 'is not valid JSON' }] });
    }
  });
  return { records, errors };
}

export function toJsonLines(records: Iterable<ImportRecord>): string {
  let out = '';
  for (const record of records) out += `${JSON.stringify(record)}\n`;
  return out;
}
