import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../../http/problem.js';
import { errorResponses } from '../../http/schemas.js';
import { parseCsv, toCsv } from './csv.js';
import { catalogCsvColumns, exportProducts } from './export.js';
import { importProducts } from './import.js';
import { parseJsonLines, toJsonLines } from './import-format.js';

const IMPORT_BODY_LIMIT = 200 * 1024 * 1024;
const tags = ['Catalog'];

const ImportReport = Type.Object({
  created: Type.Integer(),
  updated: Type.Integer(),
  failed: Type.Integer(),
  errors: Type.Array(
    Type.Object({
      line: Type.Integer({
        description: 'Line of the record (CSV: the line its product’s first row ends on)',
      }),
      handle: Type.Union([Type.String(), Type.Null()]),
      errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
    }),
  ),
});

export const catalogImportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Only this plugin's routes accept these bodies, as plain text parsed by the import.
  app.addContentTypeParser(
    ['application/x-ndjson', 'text/csv'],
    { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );
  const db = app.merx.db;

  app.post(
    '/products/import',
    {
      config: { scope: 'catalog:write' },
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Import products (JSON Lines or CSV)',
        description: `Upserts products by handle. Each record is the product's **whole state** (fields left out take their defaults; options, variants, prices, categories, collections and channels are replaced), and each product is all-or-nothing: a product that fails is reported and nothing of it is written, while the others are imported.

**JSON Lines** (\`Content-Type: application/x-ndjson\`), one product per line:
\`{"handle","title","description","status","attributes":{},"media":[{"url","alt"}],"categories":["<category handle>"],"collections":["<collection handle>"],"channels":["<channel id>"],"options":[{"name","values":[]}],"variants":[{"sku","title","options":{"Size":"M"},"barcode","weight_grams","prices":[{"currency","amount","channel_id"?}]}]}\`
(prices may also carry \`customer_group_id\`, \`segment_id\`, \`min_quantity\`, \`starts_at\`, \`ends_at\`).

**CSV** (\`Content-Type: text/csv\`, header row required), one row per variant grouped by \`handle\`: \`handle, title, description, status, categories, collections, channels\` (lists separated by \`|\`), \`attributes, media, options\` (JSON), \`sku, variant_title, barcode, weight_grams\`, \`option:<Name>\` per option, \`price:<CUR>\` base prices in minor units, \`prices\` (JSON array of other prices). Product columns are read from a product's first row. An unknown column is a 400.

The answer lists the failures by line with per-field errors; \`GET /products/export\` gives the same formats back.`,
        consumes: ['application/x-ndjson', 'text/csv'],
        body: Type.String({ description: 'JSON Lines or CSV text' }),
        response: { 200: ImportReport, ...errorResponses(413, 415) },
      },
    },
    async (request) => {
      const type = String(request.headers['content-type'] ?? '')
        .split(';')[0]
        ?.trim();
      const parsed = type === 'text/csv' ? parseCsv(request.body) : parseJsonLines(request.body);
      if (parsed.records.length === 0 && parsed.errors.length === 0)
        throw new ApiError(400, 'empty_import', 'The body holds no records');
      const report = await importProducts(
        db,
        parsed.records.map((r) => r.value),
        { lines: parsed.records.map((r) => r.line) },
      );
      const errors = [...parsed.errors, ...report.errors].sort((a, b) => a.line - b.line);
      return { ...report, failed: report.failed + parsed.errors.length, errors };
    },
  );

  app.get(
    '/products/export',
    {
      config: { scope: 'catalog:read' },
      schema: {
        tags,
        summary: 'Export products (JSON Lines or CSV)',
        description:
          'Every product, in the format `POST /products/import` takes, streamed in ID order. Importing the export reproduces the catalog.',
        querystring: Type.Object(
          { format: Type.Union([Type.Literal('jsonl'), Type.Literal('csv')], { default: 'jsonl' }) },
          { additionalProperties: false },
        ),
        produces: ['application/x-ndjson', 'text/csv'],
        response: { 200: Type.String({ description: 'JSON Lines or CSV text' }), ...errorResponses() },
      },
    },
    async (request, reply) => {
      const csv = request.query.format === 'csv';
      const columns = csv ? await catalogCsvColumns(db) : null;
      async function* chunks() {
        if (columns) yield toCsv([], columns, true);
        for await (const records of exportProducts(db))
          yield columns ? toCsv(records, columns, false) : toJsonLines(records);
      }
      reply.type(csv ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="products.${csv ? 'csv' : 'jsonl'}"`);
      return reply.send(Readable.from(chunks()) as never);
    },
  );
};
