import { loadConfig } from '../config.js';
import { type DatabaseHandle, openDatabase } from '../db/connection.js';
import { migrate } from '../db/migrate.js';

/**
 * What a CLI command needs from the outside world. `merx` uses the real one; tests pass a
 * database they already hold and collect the printed lines.
 */
export interface CommandContext {
  /** Opens (and migrates) the database; `release` closes it, or leaves a borrowed one open. */
  database(): Promise<{ handle: DatabaseHandle; release(): Promise<void> }>;
  print(line: string): void;
  /** Reports a failure; the process exits non-zero. */
  fail(message: string): void;
  /** Draw progress bars (a terminal is attached). */
  interactive: boolean;
}

export function defaultCommandContext(): CommandContext {
  return {
    async database() {
      const handle = await openDatabase(loadConfig());
      await migrate(handle.db);
      return { handle, release: () => handle.close() };
    },
    print: (line) => console.log(line),
    fail(message) {
      console.error(`error: ${message}`);
      process.exitCode = 1;
    },
    interactive: Boolean(process.stderr.isTTY),
  };
}

/**
 * Runs `work` with an open database and always releases it. A thrown error (an unknown
 * channel, a revoked key) is reported as one line and a non-zero exit, not a stack trace.
 */
export async function withDatabase(
  context: CommandContext,
  work: (handle: DatabaseHandle) => Promise<void>,
): Promise<void> {
  const { handle, release } = await context.database();
  try {
    await work(handle);
  } catch (error) {
    context.fail(error instanceof Error ? error.message : String(error));
  } finally {
    await release();
  }
}
