import type { Command } from 'commander';
import { type CommandContext, withDatabase } from '../../commands/context.js';
import { progressBar } from '../../commands/progress.js';
import { reindexSearch } from './reindex.js';

/** `merx search reindex`: every search document rebuilt from the catalog, with a progress bar. */
export function registerSearchCommands(program: Command, context: () => CommandContext): void {
  program
    .command('search')
    .description('Search index maintenance')
    .command('reindex')
    .description(
      'Rebuild every search document from the catalog (the triggers keep it in sync; use after a restore)',
    )
    .action(async () => {
      const ctx = context();
      await withDatabase(ctx, async ({ db }) => {
        let bar: ReturnType<typeof progressBar> | null = null;
        const report = await reindexSearch(db, ({ done, total }) => {
          bar ??= progressBar(ctx.interactive, 'Reindexing products', total);
          bar.update(done);
        }).finally(() => bar?.stop());
        ctx.print(
          `Reindexed ${report.products} products in ${report.seconds.toFixed(1)} s; removed ${report.orphansRemoved} orphaned documents`,
        );
      });
    });
}
