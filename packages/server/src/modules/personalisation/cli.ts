import type { Command } from 'commander';
import { type CommandContext, withDatabase } from '../../commands/context.js';
import { type Progress, progressBar } from '../../commands/progress.js';
import { type RebuildProgress, rebuildRecommendations } from './rebuild.js';

const LABELS: Record<RebuildProgress['stage'], string> = {
  counting: 'Counting orders and views',
  modelling: 'Building neighbour lists',
  writing: 'Writing neighbour lists',
};

/** `merx recs rebuild`, under the `recs` command group it shares with `merx recs eval`. */
export function registerRecsRebuildCommand(recs: Command, context: () => CommandContext): void {
  recs
    .command('rebuild')
    .description(
      'Recount co-purchases (placed orders), co-views and trending from scratch and rebuild every neighbour list (EASE + cosine)',
    )
    .action(async () => {
      const ctx = context();
      await withDatabase(ctx, async ({ db }) => {
        let stage: RebuildProgress['stage'] | null = null;
        let bar: Progress | null = null;
        const report = await rebuildRecommendations(db, (progress) => {
          if (progress.stage !== stage) {
            bar?.stop();
            stage = progress.stage;
            bar = progressBar(ctx.interactive, LABELS[stage].padEnd(26), progress.total);
          }
          bar?.update(progress.done);
        }).finally(() => (bar as Progress | null)?.stop());
        ctx.print(
          `Rebuilt recommendations from ${report.orders} orders: ${report.products} products bought, ${report.purchasePairs} co-purchase pairs, ${report.viewPairs} co-view pairs, ${report.neighbourRows} neighbour rows (counting ${report.seconds.counting.toFixed(1)} s, modelling ${report.seconds.modelling.toFixed(1)} s, writing ${report.seconds.writing.toFixed(1)} s)`,
        );
      });
    });
}
