import { type Command, InvalidArgumentError } from 'commander';
import { formatReport, runEvaluation } from '../modules/personalisation/eval/index.js';
import type { CommandContext } from './context.js';
import { progressBar } from './progress.js';

function positiveInt(value: string): number {
  const parsed = Number(value);
  if (!Number.isSafeInteger(parsed) || parsed <= 0)
    throw new InvalidArgumentError('expected a positive integer');
  return parsed;
}

/** `merx recs eval`: offline evaluation of the engine's recommenders on a real order history. */
export function registerRecsEvalCommand(recs: Command, context: () => CommandContext): void {
  recs
    .command('eval')
    .description('Evaluate the recommenders offline (HitRate@10, NDCG@10) against a popularity baseline')
    .requiredOption('--dataset <path>', 'the UCI Online Retail csv, or the folder holding it')
    .option('--max-rows <n>', 'only the first N data rows', positiveInt)
    .action(async (options: { dataset: string; maxRows?: number }) => {
      const ctx = context();
      let bar: ReturnType<typeof progressBar> | null = null;
      try {
        const report = await runEvaluation({
          datasetPath: options.dataset,
          maxRows: options.maxRows,
          onProgress(done, total) {
            bar ??= progressBar(ctx.interactive, 'Evaluating', total);
            bar.update(done);
          },
        });
        (bar as ReturnType<typeof progressBar> | null)?.stop();
        ctx.print(formatReport(report));
      } catch (error) {
        (bar as ReturnType<typeof progressBar> | null)?.stop();
        ctx.fail(error instanceof Error ? error.message : String(error));
      }
    });
}
