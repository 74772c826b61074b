import type { Command } from 'commander';
import { DEMO_PRODUCTS, seedDemoCatalog } from '../demo/seed.js';
import { listChannels } from '../modules/channels/service.js';
import { type CommandContext, withDatabase } from './context.js';
import { printLineErrors } from './line-errors.js';
import { intOption } from './options.js';
import { progressBar } from './progress.js';

interface SeedCommandOptions {
  products: number;
  demo?: boolean;
  seed?: number;
  batchSize?: number;
  stock: boolean;
}

export function registerSeedCommand(program: Command, context: () => CommandContext): void {
  program
    .command('seed')
    .description(
      'Seed the demo catalog: three channels with publishable keys, a category tree, collections and generated products (upserted by handle, so it is safe to repeat)',
    )
    .option('--products <n>', 'how many products to generate', intOption(1, 1_000_000), DEMO_PRODUCTS)
    .option(
      '--demo',
      'first-run semantics, as `merx start` does: skip when the database already has channels',
    )
    .option('--seed <n>', 'PRNG seed: the same seed gives the same catalog', intOption(0, 2 ** 32 - 1))
    .option('--batch-size <n>', 'products per import transaction', intOption(1, 10_000))
    .option('--no-stock', 'do not set stock levels')
    .action(async (options: SeedCommandOptions) => {
      const ctx = context();
      await withDatabase(ctx, async ({ db }) => {
        if (options.demo && (await listChannels(db)).length > 0) {
          ctx.print('The database already has channels: demo seed skipped');
          return;
        }
        const bar = progressBar(ctx.interactive, 'Products', options.products);
        const result = await seedDemoCatalog(db, {
          products: options.products,
          seed: options.seed,
          batchSize: options.batchSize,
          stock: options.stock,
          onProgress: (done) => bar.update(done),
        }).finally(() => bar.stop());
        ctx.print(
          `Seeded ${options.products} products in ${result.seconds.toFixed(1)} s (import ${result.importSeconds.toFixed(1)} s, ${Math.round(options.products / Math.max(result.importSeconds, 0.001))}/s): ${result.created} created, ${result.updated} updated, ${result.failed} failed, ${result.stockLevels} stock levels`,
        );
        for (const channel of result.channels)
          ctx.print(
            `  ${channel.name.padEnd(11)} (${channel.kind}) publishable key: ${channel.publishableKey}`,
          );
        printLineErrors(ctx, result.errors, 20);
        if (result.failed > 0) ctx.fail(`${result.failed} generated product(s) failed to import`);
      });
    });
}
