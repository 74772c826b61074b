import type { Db, Executor } from '../../db/database.js';
import type { StoreChannel } from '../../http/context.js';
import { notFound } from '../../http/problem.js';
import { hashSecret, newId, newSecret } from '../../lib/ids.js';
import type { ApiKeyRow, ChannelRow } from './tables.js';

export interface ResolvedKey {
  id: string;
  kind: 'publishable' | 'secret';
  scopes: string[];
  channel: StoreChannel | null;
}

// Every request authenticates, so a key's lookup is cached briefly. Revocation takes
// effect at once on the node that revoked it and within KEY_CACHE_MS on the others.
const KEY_CACHE_MS = 5_000;
const cache = new Map<string, { key: ResolvedKey | null; expires: number }>();

export function toStoreChannel(row: ChannelRow): StoreChannel {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    defaultCurrency: row.default_currency,
    currencies: row.currencies,
    locale: row.locale,
    headProfile: row.head_profile,
  };
}

export async function resolveApiKey(db: Db, token: string): Promise<ResolvedKey | null> {
  const tokenHash = hashSecret(token);
  const cached = cache.get(tokenHash);
  if (cached && cached.expires > Date.now()) return cached.key;
  const row = await db
    .selectFrom('api_keys')
    .leftJoin('channels', 'channels.id', 'api_keys.channel_id')
    .selectAll('channels')
    .select(['api_keys.id as key_id', 'api_keys.kind as key_kind', 'api_keys.scopes', 'api_keys.channel_id'])
    .where('api_keys.token_hash', '=', tokenHash)
    .where('api_keys.revoked_at', 'is', null)
    .executeTakeFirst();
  const key: ResolvedKey | null = row
    ? {
        id: row.key_id,
        kind: row.key_kind,
        scopes: row.scopes,
        channel: row.channel_id ? toStoreChannel(row as unknown as ChannelRow) : null,
      }
    : null;
  if (cache.size > 10_000) cache.clear();
  cache.set(tokenHash, { key, expires: Date.now() + KEY_CACHE_MS });
  return key;
}

/** Channel settings changed: drop cached keys so heads see them at once on this node. */
export function forgetCachedKeys(): void {
  cache.clear();
}

export interface CreatedKey {
  row: ApiKeyRow;
  token: string;
}

export async function createApiKey(
  db: Executor,
  input:
    | { kind: 'publishable'; name: string; channel_id: string }
    | { kind: 'secret'; name: string; scopes: string[]; token?: string },
): Promise<CreatedKey> {
  if (input.kind === 'publishable') {
    const channel = await db
      .selectFrom('channels')
      .select('id')
      .where('id', '=', input.channel_id)
      .executeTakeFirst();
    if (!channel) throw notFound('Channel', input.channel_id);
  }
  const token = input.kind === 'secret' ? (input.token ?? newSecret('sk')) : newSecret('pk');
  const row = await db
    .insertInto('api_keys')
    .values({
      id: newId('key'),
      kind: input.kind,
      name: input.name,
      channel_id: input.kind === 'publishable' ? input.channel_id : null,
      token_hash: hashSecret(token),
      token_hint: token.slice(-4),
      publishable_token: input.kind === 'publishable' ? token : null,
      scopes: input.kind === 'secret' ? input.scopes : [],
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { row, token };
}

export async function listApiKeys(db: Executor): Promise<ApiKeyRow[]> {
  return db.selectFrom('api_keys').selectAll().orderBy('id').execute();
}

export async function revokeApiKey(db: Executor, id: string): Promise<ApiKeyRow> {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw notFound('Active API key', id);
  forgetCachedKeys();
  return row;
}

export async function countSecretKeys(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('api_keys')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('kind', '=', 'secret')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

export function presentApiKey(row: ApiKeyRow, revealedToken?: string) {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    channel_id: row.channel_id,
    token_hint: row.token_hint,
    token: row.publishable_token ?? revealedToken,
    scopes: row.scopes,
    revoked_at: row.revoked_at?.toISOString() ?? null,
    created_at: row.created_at.toISOString(),
  };
}
