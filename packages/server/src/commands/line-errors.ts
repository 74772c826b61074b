import type { LineError } from '../modules/catalog/import-format.js';
import type { CommandContext } from './context.js';

/** One line per field error, `line 12 (handle): /variants/0/sku is required`, up to `limit` rows. */
export function printLineErrors(context: CommandContext, errors: readonly LineError[], limit: number): void {
  for (const error of errors.slice(0, limit)) {
    const where = `line ${error.line}${error.handle ? ` (${error.handle})` : ''}`;
    for (const field of error.errors) context.print(`  ${where}: ${field.field} ${field.message}`);
  }
  if (errors.length > limit) context.print(`  … and ${errors.length - limit} more rows with errors`);
}
