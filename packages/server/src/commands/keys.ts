import { type Command, InvalidArgumentError } from 'commander';
import type { Db } from '../db/database.js';
import { createApiKey, listApiKeys, presentApiKey, revokeApiKey } from '../modules/channels/keys.js';
import { SCOPES } from '../modules/channels/schema.js';
import { listChannels } from '../modules/channels/service.js';
import type { ChannelRow } from '../modules/channels/tables.js';
import { type CommandContext, withDatabase } from './context.js';

/** A channel by ID, or by name or kind when that picks exactly one ("web", "Mobile app"). */
export async function findChannel(db: Db, reference: string): Promise<ChannelRow> {
  const channels = await listChannels(db);
  const byId = channels.find((channel) => channel.id === reference);
  if (byId) return byId;
  const wanted = reference.toLowerCase();
  const matches = channels.filter(
    (channel) => channel.name.toLowerCase() === wanted || channel.kind === wanted,
  );
  if (matches.length === 1) return matches[0] as ChannelRow;
  const known = channels.map((channel) => `${channel.id} (${channel.name}, ${channel.kind})`).join('\n  ');
  throw new Error(
    matches.length === 0
      ? `No channel matches "${reference}". Channels:\n  ${known || '(none)'}`
      : `"${reference}" matches ${matches.length} channels; use an ID:\n  ${known}`,
  );
}

export function parseScopes(value: string): string[] {
  const scopes = value
    .split(',')
    .map((scope) => scope.trim())
    .filter(Boolean);
  const unknown = scopes.filter((scope) => !(SCOPES as readonly string[]).includes(scope));
  if (scopes.length === 0 || unknown.length > 0)
    throw new InvalidArgumentError(
      `unknown scope(s): ${unknown.join(', ') || '(none given)'}. Known: ${SCOPES.join(', ')}`,
    );
  return [...new Set(scopes)];
}

export function registerKeysCommands(program: Command, context: () => CommandContext): void {
  const keys = program.command('keys').description('List, create and revoke API keys');

  keys
    .command('list')
    .description('Every key: publishable keys in full, secret keys by their last characters')
    .action(async () => {
      const ctx = context();
      await withDatabase(ctx, async ({ db }) => {
        const channels = new Map((await listChannels(db)).map((channel) => [channel.id, channel.name]));
        for (const row of await listApiKeys(db)) {
          const key = presentApiKey(row);
          const shown = key.token ?? `sk_…${key.token_hint}`;
          const scope =
            key.kind === 'publishable'
              ? `channel ${channels.get(row.channel_id ?? '') ?? row.channel_id}`
              : `scopes ${key.scopes.join(',')}`;
          const state = key.revoked_at ? `revoked ${key.revoked_at}` : 'active';
          ctx.print(`${key.id}  ${key.kind.padEnd(11)}  ${state.padEnd(8)}  ${key.name}  ${scope}  ${shown}`);
        }
      });
    });

  keys
    .command('create-publishable')
    .description('Create a publishable key (pk_…) for a channel, given by ID, name or kind')
    .argument('<channel>', 'channel ID, name or kind')
    .option('--name <name>', 'a label for the key')
    .action(async (reference: string, options: { name?: string }) => {
      const ctx = context();
      await withDatabase(ctx, async ({ db }) => {
        const channel = await findChannel(db, reference);
        const { row, token } = await createApiKey(db, {
          kind: 'publishable',
          name: options.name ?? `${channel.name} key`,
          channel_id: channel.id,
        });
        ctx.print(`${row.id}  publishable key for ${channel.name}: ${token}`);
      });
    });

  keys
    .command('create-secret')
    .description('Create a secret key (sk_…) for the admin API; its token is printed once')
    .requiredOption('--scopes <scopes>', `comma-separated scopes (${SCOPES.join(', ')})`, parseScopes)
    .option('--name <name>', 'a label for the key', 'CLI secret key')
    .action(async (options: { scopes: string[]; name: string }) => {
      const ctx = context();
      await withDatabase(ctx, async ({ db }) => {
        const { row, token } = await createApiKey(db, {
          kind: 'secret',
          name: options.name,
          scopes: options.scopes,
        });
        ctx.print(`${row.id}  secret key (shown once, keep it): ${token}`);
      });
    });

  keys
    .command('revoke')
    .description('Revoke a key at once')
    .argument('<id>', 'key ID (key_…)')
    .action(async (id: string) => {
      const ctx = context();
      await withDatabase(ctx, async ({ db }) => {
        const row = await revokeApiKey(db, id);
        ctx.print(`${row.id}  revoked`);
      });
    });
}
