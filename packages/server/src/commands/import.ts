import { createReadStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { parseCsv } from '../modules/catalog/csv.js';
import { type ImportReport, importProducts } from '../modules/catalog/import.js';
import type { ParsedLine } from '../modules/catalog/import-format.js';
import { type CommandContext, withDatabase } from './context.js';
import { printLineErrors } from './line-errors.js';
import { intOption } from './options.js';
import { type Progress, progressBar } from './progress.js';

/** Records handed to one importProducts call: a 100k-line file never sits in memory whole. */
const CHUNK = 2_000;

function merge(into: ImportReport, report: ImportReport): void {
  into.created += report.created;
  into.updated += report.updated;
  into.failed += report.failed;
  into.errors.push(...report.errors);
}

async function importChunk(
  db: Db,
  chunk: ParsedLine[],
  report: ImportReport,
  progress: Progress,
  done: number,
) {
  merge(
    report,
    await importProducts(
      db,
      chunk.map((parsed) => parsed.value),
      {
        lines: chunk.map((parsed) => parsed.line),
        onProgress: (processed) => progress.update(done + processed),
      },
    ),
  );
}

/** JSON Lines, streamed: two passes (count, then import) so the bar knows its total. */
async function importJsonLines(db: Db, path: string, context: CommandContext): Promise<ImportReport> {
  const lines = () =>
    createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  let total = 0;
  for await (const raw of lines()) if (raw.trim() !== '') total++;
  const report: ImportReport = { created: 0, updated: 0, failed: 0, errors: [] };
  const progress = progressBar(context.interactive, 'Products', total);
  let chunk: ParsedLine[] = [];
  let done = 0;
  let line = 0;
  try {
    for await (const raw of lines()) {
      line++;
      if (raw.trim() === '') continue;
      try {
        chunk.push({ line, value: JSON.parse(raw) });
      } catch {
        report.failed++;
        report.errors.push({ line, handle: null, errors: [{ field: '/', message: 'is not valid JSON' }] });
        done++;
      }
      if (chunk.length >= CHUNK) {
        await importChunk(db, chunk, report, progress, done);
        done += chunk.length;
        chunk = [];
      }
    }
    if (chunk.length > 0) await importChunk(db, chunk, report, progress, done);
  } finally {
    progress.stop();
  }
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}

/** CSV spreads a product over several rows (one per variant), so the file is parsed whole. */
async function importCsvFile(db: Db, path: string, context: CommandContext): Promise<ImportReport> {
  const { records, errors } = parseCsv(await readFile(path, 'utf8'));
  const report: ImportReport = { created: 0, updated: 0, failed: errors.length, errors: [...errors] };
  const progress = progressBar(context.interactive, 'Products', records.length);
  try {
    for (let start = 0; start < records.length; start += CHUNK)
      await importChunk(db, records.slice(start, start + CHUNK), report, progress, start);
  } finally {
    progress.stop();
  }
  report.errors.sort((a, b) => a.line - b.line);
  return report;
}

export function formatOf(path: string): 'jsonl' | 'csv' | null {
  const extension = extname(path).toLowerCase();
  if (extension === '.jsonl' || extension === '.ndjson') return 'jsonl';
  if (extension === '.csv') return 'csv';
  return null;
}

interface ImportCommandOptions {
  errorLimit: number;
  report?: string;
}

export function registerImportCommand(program: Command, context: () => CommandContext): void {
  program
    .command('import')
    .description(
      'Import products from JSON Lines (.jsonl) or CSV (.csv): upserted by handle, each product all-or-nothing, errors reported per line; exits non-zero when any line fails',
    )
    .argument('<file>', 'a .jsonl/.ndjson or .csv file')
    .option('--error-limit <n>', 'print at most this many failing lines', intOption(0, 1_000_000), 100)
    .option('--report <file>', 'write the full report (every error) as JSON to this file')
    .action(async (file: string, options: ImportCommandOptions) => {
      const ctx = context();
      const format = formatOf(file);
      if (!format) return ctx.fail(`${file}: expected a .jsonl, .ndjson or .csv file`);
      const size = await stat(file).catch(() => null);
      if (!size?.isFile()) return ctx.fail(`${file}: no such file`);
      await withDatabase(ctx, async ({ db }) => {
        const started = Date.now();
        const report =
          format === 'jsonl' ? await importJsonLines(db, file, ctx) : await importCsvFile(db, file, ctx);
        // A bulk load changes table sizes by orders of magnitude: refresh the planner's
        // statistics (PGlite runs no autovacuum, so nobody else would).
        if (report.created + report.updated > 0) await sql`ANALYZE`.execute(db);
        const seconds = (Date.now() - started) / 1000;
        ctx.print(
          `Imported ${file} in ${seconds.toFixed(1)} s: ${report.created} created, ${report.updated} updated, ${report.failed} failed`,
        );
        printLineErrors(ctx, report.errors, options.errorLimit);
        if (options.report) await writeFile(options.report, JSON.stringify(report, null, 2));
        if (report.failed > 0) ctx.fail(`${report.failed} product(s) were not imported`);
      });
    });
}
