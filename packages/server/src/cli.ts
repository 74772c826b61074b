import cluster from 'node:cluster';
import { Command } from 'commander';
import { parseWorkers, startCluster } from './cluster.js';
import { defaultCommandContext } from './commands/context.js';
import { registerImportCommand } from './commands/import.js';
import { registerKeysCommands } from './commands/keys.js';
import { registerRecsEvalCommand } from './commands/recs-eval.js';
import { registerSeedCommand } from './commands/seed.js';
import { loadConfig } from './config.js';
import { openDatabase } from './db/connection.js';
import { migrate } from './db/migrate.js';
import { registerRecsRebuildCommand } from './modules/personalisation/cli.js';
import { registerSearchCommands } from './modules/search/cli.js';
import { startServer } from './server.js';

const program = new Command().name('merx').description('Merx headless commerce engine').showHelpAfterError();

program
  .command('start')
  .description('Migrate, seed the demo catalog on first run, and serve the API')
  .option('--no-seed', 'do not seed the demo catalog on first run')
  .option('--workers <n>', 'API processes sharing the port (more than 1 needs PostgreSQL)', '1')
  .action(async (options: { seed: boolean; workers: string }) => {
    const config = loadConfig();
    const workers = parseWorkers(options.workers, config);
    if (typeof workers === 'string') return program.error(workers);
    if (workers > 1 && cluster.isPrimary) return startCluster(config, workers, { seedDemo: options.seed });
    const server = await startServer(config, { seedDemo: options.seed, prepared: cluster.isWorker });
    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      server.app.log.info({ signal }, 'shutting down: finishing in-flight requests');
      await server.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => void shutdown('SIGINT'));
    process.on('SIGTERM', () => void shutdown('SIGTERM'));
  });

program
  .command('migrate')
  .description('Apply pending SQL migrations')
  .action(async () => {
    const database = await openDatabase(loadConfig());
    const { applied } = await migrate(database.db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
    await database.close();
  });

registerSeedCommand(program, defaultCommandContext);
registerImportCommand(program, defaultCommandContext);
registerKeysCommands(program, defaultCommandContext);
const recs = program.command('recs').description('Recommendations: offline evaluation and rebuilds');
registerRecsEvalCommand(recs, defaultCommandContext);
registerRecsRebuildCommand(recs, defaultCommandContext);
registerSearchCommands(program, defaultCommandContext);

await program.parseAsync(process.argv);
