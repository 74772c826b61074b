import { Command } from 'commander';
import type { CommandContext } from '../src/commands/context.js';
import type { TestServer } from './harness.js';

type Register = (program: Command, context: () => CommandContext) => void;

/**
 * Runs `merx <args>` through the real commander wiring of the given commands against the test
 * server's database; what the command printed and any failure it reported come back.
 */
export async function runMerx(server: TestServer, commands: Register[], args: string[]) {
  const printed: string[] = [];
  const failures: string[] = [];
  const context: CommandContext = {
    database: async () => ({ handle: server.database, release: async () => {} }),
    print: (line) => printed.push(line),
    fail: (message) => failures.push(message),
    interactive: false,
  };
  const program = new Command().exitOverride();
  for (const register of commands) register(program, () => context);
  await program.parseAsync(['node', 'merx', ...args]);
  return { output: printed.join('\n'), failures };
}
